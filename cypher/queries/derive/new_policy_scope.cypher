// Drop the resilience facts of the flows a policy reaches that shaped none yet: a policy
// written in this load (new, or rewritten: its SHAPES went with its outgoing relationships).
MATCH (p:Policy)
WHERE p.kind IN $kinds AND NOT EXISTS { (p)-[:SHAPES]->() }
CALL (p) {
  MATCH (p)-[:APPLIES_TO]->(f:Flow)
  RETURN f
  UNION
  MATCH (p)-[:APPLIES_TO]->(:Component)<-[:VIA]-(f:Flow)
  RETURN f
}
MATCH (f)-[:HAS_RESILIENCE]->(x:FlowResilience)
DETACH DELETE x
RETURN count(*) AS dropped
