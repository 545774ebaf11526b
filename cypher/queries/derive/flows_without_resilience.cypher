// The flows whose resilience facts are to be computed: new ones, and those dropped above.
MATCH (f:Flow)
WHERE NOT EXISTS { (f)-[:HAS_RESILIENCE]->(:FlowResilience) }
RETURN f.id AS id
ORDER BY id
