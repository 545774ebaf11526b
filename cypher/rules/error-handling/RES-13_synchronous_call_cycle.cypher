// id: RES-13
// title: Cycle of synchronous calls
// severity: error
// area: error-handling
// tags: [synchronous, coupling, availability]
// rationale: >
//   When system A calls B synchronously and B, directly or through others, calls A back, none
//   of them can be deployed, restarted or scaled on its own: a slowdown anywhere in the loop
//   holds threads on every member, timeouts cannot shrink along a loop (each caller is also a
//   callee further down), and a retry in the loop multiplies around it. AWS Well-Architected
//   (REL05-BP01, REL03) asks for dependencies that form a directed acyclic graph, and the
//   SRE book names call cycles among the causes of cascading failure. A cycle is a sequence of
//   request_response flows, each from the previous flow's target, that returns to the first
//   flow's source without visiting a system twice, at most max_length flows long (default 6,
//   the most the rule looks at). It is reported once, at its flow with the smallest id; the
//   other flows follow in call order.
// remediation: >
//   Break the loop: let one direction become an event (the callee publishes, the other side
//   keeps a local copy), move the shared data into the system that owns it, or let an
//   orchestrator call both instead of each calling the other. Record the choice in a decision.
// references:
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel05-bp01.html
//   - https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_service_architecture_monolith_soa_microservice.html
//   - https://sre.google/sre-book/addressing-cascading-failures/
// parameters:
//   max_length: 6
MATCH (a:System)<-[:FROM]-(f:Flow {pattern: 'request_response'})-[:TO]->(b:System)
WHERE a <> b
// Back to a in at most five more calls, every flow with a larger id than f (so each cycle is
// found once, from its smallest flow id), no system twice.
MATCH (b)((s:System)<-[:FROM]-(x:Flow)-[:TO]->(t:System)
          WHERE x.pattern = 'request_response' AND x.id > f.id AND s <> t){1,5}(a)
WHERE size(x) + 1 <= $max_length
  AND none(v IN s[1..] WHERE v = a OR v = b)
  AND all(i IN range(0, size(s) - 2) WHERE NOT s[i] IN s[i + 1..])
WITH f, a, [y IN x | y.id] AS rest, [a.id, b.id] + [v IN t | v.id] AS loop
RETURN f.id AS element,
       rest AS related,
       'synchronous calls form a cycle of ' + toString(size(rest) + 1) + ' flows: ' +
       reduce(m = head(loop), v IN tail(loop) | m + ' -> ' + v) + ' (flows ' +
       reduce(m = f.id, y IN rest | m + ', ' + y) + ')' AS message,
       {flows: [f.id] + rest, systems: loop} AS details
ORDER BY element, related
