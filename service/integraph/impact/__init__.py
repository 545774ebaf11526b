"""Impact analysis: blast radius, contract compatibility, lineage and what-if."""
