// One hop downstream: who depends on the systems in $ids. A caller depends on the system it
// calls synchronously; a receiver depends on the sender of an event, command, stream or batch;
// the requester of a request-reply flow (`has_reply`) also depends on its replier (`reply`).
// Each row carries what the hop's cap is made of (integraph.impact.effects.hop_effect).
UNWIND $ids AS sid
MATCH (s:System {id: sid})
CALL (s) {
  MATCH (d:System)<-[:FROM]-(f:Flow {pattern: 'request_response'})-[:TO]->(s)
  RETURN f, d, false AS reply
  UNION
  MATCH (s)<-[:FROM]-(f:Flow)-[:TO]->(d:System)
  WHERE f.pattern <> 'request_response'
  RETURN f, d, false AS reply
  UNION
  MATCH (d:System)<-[:FROM]-(f:Flow {has_reply: true})-[:TO]->(s)
  WHERE f.pattern <> 'request_response'
  RETURN f, d, true AS reply
}
RETURN s.id AS from, f.id AS flow, f.pattern AS pattern, d.id AS to, reply,
       coalesce(f.required, true) AS required,
       EXISTS { (:Policy {kind: 'dead_letter'})-[:APPLIES_TO]->(f) }
         OR EXISTS { (f)-[:VIA]->(:Component)<-[:APPLIES_TO]-(:Policy {kind: 'dead_letter'}) }
         AS dead_letter
ORDER BY from, flow, reply
