// id: CON-01
// title: Flow without a contract
// severity: error
// area: contracts
// tags: [contracts, inventory, owasp-api9]
// rationale: >
//   An exchange whose interface is not documented is outside the inventory: nobody can say
//   which fields cross it, check a change for compatibility, tell which consumers a new
//   version affects, or find the sensitive data it carries (OWASP API9:2023, improper
//   inventory management). Every flow, whatever its pattern (an API call, an event, a batch
//   file), exchanges data in some shape, so absence of a contract is the violation: a flow
//   naming no contract is reported.
// remediation: >
//   Write the contract (OpenAPI, AsyncAPI, JSON Schema, Avro, protobuf or a file layout), add it
//   under `contracts` with its versions, and name it in the flow's `contract`, with the
//   `producer_version` and `consumer_version` each side is on.
// references:
//   - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
//   - https://docs.confluent.io/platform/current/schema-registry/fundamentals/schema-evolution.html
MATCH (f:Flow)
WHERE NOT EXISTS { MATCH (f)-[:USES_CONTRACT]->(:Contract) }
MATCH (f)-[:FROM]->(src:System), (f)-[:TO]->(dst:System)
RETURN f.id AS element,
       [] AS related,
       f.pattern + ' flow ' + f.id + ' (' + src.id + ' -> ' + dst.id +
       ') names no contract: its interface is undocumented and no change to it can be checked'
         AS message,
       {pattern: f.pattern, source: src.id, target: dst.id} AS details
ORDER BY element
