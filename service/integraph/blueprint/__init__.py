"""Blueprint files <-> model: parsing with positions, validation, secrets, schema, export."""
