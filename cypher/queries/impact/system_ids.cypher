// Every system id, sorted (for sampling in benchmarks and for listings).
MATCH (s:System)
RETURN s.id AS id
ORDER BY id
