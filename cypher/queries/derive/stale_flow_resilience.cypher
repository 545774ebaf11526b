// Drop the resilience facts that may no longer hold (see store/derived.py): those of flows
// rewritten or deleted since (the flow's HAS_RESILIENCE went with its outgoing
// relationships), and those computed from a policy rewritten or deleted since (its SHAPES
// went with it, so fewer remain than the facts counted).
MATCH (x:FlowResilience)
WHERE NOT EXISTS { ()-[:HAS_RESILIENCE]->(x) } OR COUNT { (x)<-[:SHAPES]-() } <> x.policies
DETACH DELETE x
RETURN count(*) AS dropped
