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
//   SRE book names call cycles among the causes of cascading failure. A request_response
//   flow from A to B is on a cycle when B, through at most max_length - 1 further
//   request_response flows (max_length default 4, at most 4), calls A. Every flow on a cycle
//   is reported, so each owner sees it; the message gives the length of the shortest cycle
//   through the flow (a length, not one example path: shortest paths can tie, and findings
//   must read the same on every run).
// remediation: >
//   Break the loop: let one direction become an event (the callee publishes, the other side
//   keeps a local copy), move the shared data into the system that owns it, or let an
//   orchestrator call both instead of each calling the other. Record the choice in a decision.
// references:
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel05-bp01.html
//   - https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_service_architecture_monolith_soa_microservice.html
//   - https://sre.google/sre-book/addressing-cascading-failures/
// parameters:
//   max_length: 4
MATCH (a:System)<-[:FROM]-(f:Flow {pattern: 'request_response'})-[:TO]->(b:System)
WHERE a <> b
// The shortest way back from b to a (a breadth-first search, not an enumeration of paths).
MATCH SHORTEST 1 (b)((:System)<-[:FROM]-(x:Flow)-[:TO]->(:System)
                     WHERE x.pattern = 'request_response'){1,3}(a)
WITH f, a, b, size(x) + 1 AS length
WHERE length <= $max_length
RETURN f.id AS element,
       [] AS related,
       'flow ' + f.id + ' (' + a.id + ' -> ' + b.id + ') is part of a cycle of synchronous ' +
       'calls: ' + b.id + ' calls ' + a.id + ' back through ' + toString(length - 1) +
       ' flow(s), a cycle of ' + toString(length) + ' calls' AS message,
       {source: a.id, target: b.id, cycle_length: length} AS details
ORDER BY element
