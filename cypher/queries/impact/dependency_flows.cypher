// Every flow between two systems with the facts a blast radius walks by (the edges of the
// in-process dependency graph, integraph.impact.adjacency): its pattern, both ends, and
// whether a dead-letter policy covers it, directly or through a component it passes (the same
// facts queries/impact/dependents and providers give one hop at a time).
MATCH (src:System)<-[:FROM]-(f:Flow)-[:TO]->(dst:System)
WHERE f.pattern IS NOT NULL
RETURN f.id AS flow, f.pattern AS pattern, src.id AS source, dst.id AS target,
       EXISTS { (:Policy {kind: 'dead_letter'})-[:APPLIES_TO]->(f) }
         OR EXISTS { (f)-[:VIA]->(:Component)<-[:APPLIES_TO]-(:Policy {kind: 'dead_letter'}) }
         AS dead_letter
