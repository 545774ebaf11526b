// One hop downstream: who depends on the systems in $ids. A caller depends on the system it
// calls synchronously; a receiver depends on the sender of an event, command, stream or batch.
UNWIND $ids AS sid
MATCH (s:System {id: sid})
CALL (s) {
  MATCH (d:System)<-[:FROM]-(f:Flow {pattern: 'request_response'})-[:TO]->(s)
  RETURN f, d
  UNION
  MATCH (s)<-[:FROM]-(f:Flow)-[:TO]->(d:System)
  WHERE f.pattern <> 'request_response'
  RETURN f, d
}
RETURN s.id AS from, f.id AS flow, f.pattern AS pattern, d.id AS to,
       EXISTS { (:Policy {kind: 'dead_letter'})-[:APPLIES_TO]->(f) }
         OR EXISTS { (f)-[:VIA]->(:Component)<-[:APPLIES_TO]-(:Policy {kind: 'dead_letter'}) }
         AS dead_letter
ORDER BY from, flow
