// One hop upstream: whom the systems in $ids depend on (the systems they call synchronously,
// the senders of the events, commands, streams and batches they receive, and the repliers of
// the request-reply flows they send: `reply`). Each row carries what the hop's cap is made of
// (integraph.impact.effects.hop_effect).
UNWIND $ids AS sid
MATCH (s:System {id: sid})
CALL (s) {
  MATCH (s)<-[:FROM]-(f:Flow {pattern: 'request_response'})-[:TO]->(p:System)
  RETURN f, p, false AS reply
  UNION
  MATCH (p:System)<-[:FROM]-(f:Flow)-[:TO]->(s)
  WHERE f.pattern <> 'request_response'
  RETURN f, p, false AS reply
  UNION
  MATCH (s)<-[:FROM]-(f:Flow {has_reply: true})-[:TO]->(p:System)
  WHERE f.pattern <> 'request_response'
  RETURN f, p, true AS reply
}
RETURN s.id AS from, f.id AS flow, f.pattern AS pattern, p.id AS to, reply,
       coalesce(f.required, true) AS required,
       EXISTS { (:Policy {kind: 'dead_letter'})-[:APPLIES_TO]->(f) }
         OR EXISTS { (f)-[:VIA]->(:Component)<-[:APPLIES_TO]-(:Policy {kind: 'dead_letter'}) }
         AS dead_letter
ORDER BY from, flow, reply
