// Every flow between two systems with the facts a blast radius walks by (the edges of the
// in-process dependency graph, integraph.impact.adjacency): its pattern, both ends, whether a
// dead-letter policy covers it, directly or through a component it passes, whether its
// dependent side needs it (`required`, true when unset) and whether it is request-reply
// (`has_reply`: its requester depends on its replier too). The same facts
// queries/impact/dependents and providers give one hop at a time. One row of parallel lists:
// the driver decodes a list far faster than as many records.
MATCH (src:System)<-[:FROM]-(f:Flow)-[:TO]->(dst:System)
WHERE f.pattern IS NOT NULL
WITH f, src, dst,
     EXISTS { (:Policy {kind: 'dead_letter'})-[:APPLIES_TO]->(f) }
       OR EXISTS { (f)-[:VIA]->(:Component)<-[:APPLIES_TO]-(:Policy {kind: 'dead_letter'}) }
       AS dead_letter
RETURN collect(f.id) AS flows, collect(f.pattern) AS patterns, collect(src.id) AS sources,
       collect(dst.id) AS targets, collect(dead_letter) AS dead_letters,
       collect(coalesce(f.required, true)) AS required,
       collect(coalesce(f.has_reply, false)) AS replies
