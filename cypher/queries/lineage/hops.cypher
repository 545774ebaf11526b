// What each carrier flow does to protect the data: ends and zones, transport encryption,
// audit logging, the masking of each field, and the duties of each classification.
UNWIND $flows AS fid
MATCH (src:System)<-[:FROM]-(f:Flow {id: fid})-[:TO]->(dst:System)
OPTIONAL MATCH (f)-[m:MASKS]->(masked:Field)
WITH f, src, dst, collect({path: masked.path, part: masked.part, operation: masked.operation,
                       method: m.method}) AS masking
RETURN f.id AS flow, f.pattern AS pattern, src.id AS source, dst.id AS target,
       src.trust_zone AS source_zone, dst.trust_zone AS target_zone,
       coalesce(dst.external, false) AS target_external, coalesce(src.external, false) AS source_external,
       f.transport_encryption AS encryption, coalesce(f.audit_logging, false) AS audit_logging,
       f.audit_retention_days AS audit_retention_days,
       [x IN masking WHERE x.path IS NOT NULL] AS masking
ORDER BY flow
