// id: CON-04
// title: Compatibility mode NONE on a contract with several consumers
// severity: warning
// area: contracts
// tags: [contracts, compatibility]
// rationale: >
//   Mode NONE switches every compatibility check off (Schema Registry): any change may break
//   any reader. That is tolerable while one consumer evolves in lock-step with the producer,
//   but each further consumer is a team that must upgrade at the same moment or fail. The
//   consumers are the distinct systems on the side of the contract's flows that does not
//   provide the interface: the caller of a request_response flow or the sender of a command
//   (the callee/receiver implements the interface), the receiver of an event, stream or batch
//   (the publisher/sender defines the data). The threshold is a parameter.
// remediation: >
//   Declare a real mode (BACKWARD, FORWARD or FULL, transitive when consumers lag several
//   versions behind) and evolve the contract within it; or record, in an accepted decision,
//   why every consumer can upgrade in lock-step.
// references:
//   - https://docs.confluent.io/platform/current/schema-registry/fundamentals/schema-evolution.html
//   - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
// parameters:
//   max_consumers: 1
MATCH (c:Contract {compatibility: 'NONE'})
MATCH (f:Flow)-[:USES_CONTRACT]->(c)
MATCH (f)-[:FROM]->(src:System), (f)-[:TO]->(dst:System)
// The consumer is the side that does not provide the interface.
WITH c,
     CASE WHEN f.pattern IN ['request_response', 'command'] THEN src.id ELSE dst.id END
       AS consumer
WITH c, consumer
ORDER BY consumer
WITH c, collect(DISTINCT consumer) AS consumers
WHERE size(consumers) > $max_consumers
RETURN c.id AS element,
       [] AS related,
       'contract ' + c.id + ' has compatibility mode NONE but ' + toString(size(consumers)) +
       ' consumers (' + reduce(s = head(consumers), x IN tail(consumers) | s + ', ' + x) +
       '): any change may break them, and nothing checks it' AS message,
       {consumers: consumers, max_consumers: $max_consumers} AS details
ORDER BY element
