// id: RES-18
// title: Tier-1 system whose only data store loses data
// severity: warning
// area: error-handling
// tags: [data-store, durability, replication, tier-1]
// rationale: >
//   A store that keeps data only in memory loses all of it on a restart (Redis with
//   persistence disabled keeps data "as long as the server is running"), and a store with a
//   single copy loses it with its one node or disk. For a cache in front of a system of record
//   that only costs a warm-up; for the one store a tier-1 system has, it is the system's data:
//   carts, sessions, orders in flight. The SRE book's data integrity chapter and AWS
//   Well-Architected (REL09: back up data; REL10: keep it in more than one place) ask that
//   what a critical workload cannot rebuild survives the loss of a node. The rule looks at
//   every tier-1 system that is neither a data store nor an actor and at the data stores
//   (systems of kind data_store) it exchanges flows with, in either direction. When that is
//   exactly one store, the store must declare a persistence that survives a restart
//   (snapshot or durable; none, or nothing declared, is the violation) and more than one
//   replica (1, or nothing declared, is the violation). A system with a second store is not
//   reported: which of them holds the data the model cannot tell.
// remediation: >
//   Declare what the store really does; if it is what it says, turn persistence on (an
//   append-only log or snapshots, e.g. Redis AOF with fsync every second), run it with at
//   least one replica in another zone, or keep the data in a durable system of record and
//   use this store as a cache in front of it (and model that store too).
// references:
//   - https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/
//   - https://redis.io/docs/latest/operate/oss_and_stack/management/replication/
//   - https://sre.google/sre-book/data-integrity/
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel09-bp01.html
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel10-bp01.html
MATCH (s:System {tier: 1})
WHERE NOT coalesce(s.kind, 'service') IN ['data_store', 'actor']
MATCH (s)<-[:FROM|TO]-(:Flow)-[:FROM|TO]->(d:System {kind: 'data_store'})
WITH s, collect(DISTINCT d) AS stores
WHERE size(stores) = 1
WITH s, stores[0] AS d
WITH s, d,
     CASE
       WHEN d.persistence IS NULL THEN ['no persistence declared']
       WHEN d.persistence = 'none' THEN ['persistence none']
       ELSE []
     END AS persistence_problem,
     CASE
       WHEN d.replicas IS NULL THEN ['no replicas declared']
       WHEN d.replicas = 1 THEN ['a single replica']
       ELSE []
     END AS replica_problem
WITH s, d, persistence_problem + replica_problem AS problems,
     CASE WHEN size(persistence_problem) > 0 THEN ['persistence'] ELSE [] END +
     CASE WHEN size(replica_problem) > 0 THEN ['replicas'] ELSE [] END AS missing,
     CASE
       WHEN size(replica_problem) = 0 THEN 'a restart of ' + d.id
       WHEN size(persistence_problem) = 0 THEN 'the loss of ' + d.id + "'s one node"
       ELSE 'a restart of ' + d.id + ' or the loss of its one node'
     END AS loss
WHERE size(problems) > 0
RETURN s.id AS element,
       [d.id] AS related,
       'tier-1 system ' + s.id + ' keeps its data in one data store, ' + d.id + ' (' +
       d.store_type + coalesce(', ' + d.engine, '') + '), which has ' +
       reduce(t = head(problems), p IN tail(problems) | t + ' and ' + p) + ': ' + s.id +
       "'s data does not survive " + loss AS message,
       {system: s.id, store: d.id, store_type: d.store_type, engine: d.engine,
        persistence: d.persistence, replicas: d.replicas, missing: missing} AS details
ORDER BY element
