// The flows using a contract, both ends with their owner teams, the versions each side uses
// and the names of the operations the flow names (none: it may use any).
MATCH (c:Contract {id: $id})<-[:USES_CONTRACT]-(f:Flow)
MATCH (src:System)<-[:FROM]-(f)-[:TO]->(dst:System)
OPTIONAL MATCH (src)-[:OWNED_BY]->(src_team:Team)
OPTIONAL MATCH (dst)-[:OWNED_BY]->(dst_team:Team)
OPTIONAL MATCH (f)-[p:USES_VERSION {role: 'producer'}]->(pv:ContractVersion)
OPTIONAL MATCH (f)-[q:USES_VERSION {role: 'consumer'}]->(cv:ContractVersion)
RETURN f.id AS flow, f.pattern AS pattern, src.id AS source, src_team.id AS source_team,
       dst.id AS target, dst_team.id AS target_team,
       pv.version AS producer_version, cv.version AS consumer_version,
       [(f)-[:USES_OPERATION]->(o:Operation) | o.name] AS operations
ORDER BY flow
