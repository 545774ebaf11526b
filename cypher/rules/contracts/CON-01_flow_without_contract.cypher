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
//   naming no contract is reported. Two kinds of flow are left out: those to a data store (a
//   system of kind data_store: its interface is the store's own protocol, Redis GET and SET or
//   SQL, not a contract to invent) and those from an actor (people and clients outside the
//   landscape, whose side of the exchange is the user interface).
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
WHERE coalesce(src.kind, 'service') <> 'actor' AND coalesce(dst.kind, 'service') <> 'data_store'
RETURN f.id AS element,
       [] AS related,
       f.pattern + ' flow ' + f.id + ' (' + src.id + ' -> ' + dst.id +
       ') names no contract: its interface is undocumented and no change to it can be checked'
         AS message,
       {pattern: f.pattern, source: src.id, target: dst.id} AS details
ORDER BY element
