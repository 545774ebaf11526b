// A blueprint's review status (no row: no such blueprint).
MATCH (b:Blueprint {id: $blueprint})
RETURN b.status AS status
