// One hop upstream: whom the systems in $ids depend on (the systems they call synchronously,
// and the senders of the events, commands, streams and batches they receive).
UNWIND $ids AS sid
MATCH (s:System {id: sid})
CALL (s) {
  MATCH (s)<-[:FROM]-(f:Flow {pattern: 'request_response'})-[:TO]->(p:System)
  RETURN f, p
  UNION
  MATCH (p:System)<-[:FROM]-(f:Flow)-[:TO]->(s)
  WHERE f.pattern <> 'request_response'
  RETURN f, p
}
RETURN s.id AS from, f.id AS flow, f.pattern AS pattern, p.id AS to,
       EXISTS { (:Policy {kind: 'dead_letter'})-[:APPLIES_TO]->(f) }
         OR EXISTS { (f)-[:VIA]->(:Component)<-[:APPLIES_TO]-(:Policy {kind: 'dead_letter'}) }
         AS dead_letter
ORDER BY from, flow
