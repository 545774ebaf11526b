// id: CON-05
// title: Upgrade order violated
// severity: warning
// area: contracts
// tags: [contracts, compatibility, versioning]
// rationale: >
//   A compatibility mode only protects the upgrade order it was designed for (Schema
//   Registry): under BACKWARD the new schema reads old data, so consumers must upgrade first; a
//   consumer still on an older version than its producer reads data its schema was never
//   checked against. Under FORWARD old readers read new data, so producers upgrade first; a
//   consumer already on a newer version than its producer is the unchecked case. FULL allows
//   any order and NONE promises nothing (CON-04), so neither is checked here. A flow records
//   each side's version in `producer_version` and `consumer_version`; versions are ordered as
//   listed in the contract (oldest first). A flow missing either version cannot be judged and
//   is not reported.
// remediation: >
//   Upgrade the lagging side (under BACKWARD the consumer, under FORWARD the producer) or roll
//   the other side back; if the order cannot be kept, declare FULL and evolve within it.
// references:
//   - https://docs.confluent.io/platform/current/schema-registry/fundamentals/schema-evolution.html
//   - https://yokota.blog/2021/03/29/understanding-json-schema-compatibility/
MATCH (f:Flow)-[:USES_VERSION {role: 'producer'}]->(pv:ContractVersion),
      (f)-[:USES_VERSION {role: 'consumer'}]->(cv:ContractVersion)
MATCH (f)-[:USES_CONTRACT]->(c:Contract)
WHERE (c.compatibility STARTS WITH 'BACKWARD' AND cv.position < pv.position)
   OR (c.compatibility STARTS WITH 'FORWARD' AND cv.position > pv.position)
WITH f, c, pv, cv,
     CASE WHEN c.compatibility STARTS WITH 'BACKWARD' THEN 'consumers' ELSE 'producers' END
       AS first
RETURN f.id AS element,
       CASE WHEN pv.id < cv.id THEN [pv.id, cv.id] ELSE [cv.id, pv.id] END AS related,
       'flow ' + f.id + ': contract ' + c.id + ' is ' + c.compatibility + ', so ' + first +
       ' upgrade first, but the consumer is on ' + cv.version + ' and the producer on ' +
       pv.version + CASE first WHEN 'consumers'
         THEN ': the consumer reads data of a newer version it was never checked against'
         ELSE ': the consumer reads data of an older version it was never checked against'
       END AS message,
       {contract: c.id, mode: c.compatibility, producer_version: pv.version,
        consumer_version: cv.version, upgrade_first: first} AS details
ORDER BY element
