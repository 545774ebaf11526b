// Drop the version contents that may no longer hold (see store/derived.py): those of
// contract versions rewritten or deleted since (the version's HAS_CONTENT went with its
// outgoing relationships), and those whose version's fields are no longer the ones read (a
// field rewritten has another content hash; fields are unique to their version, so the
// hashes compare as sets).
MATCH (x:VersionContent)
OPTIONAL MATCH (v:ContractVersion)-[:HAS_CONTENT]->(x)
WITH x, v, [(v)-[:HAS_FIELD]->(f:Field) | f.content_hash] AS hashes
WHERE v IS NULL OR x.hashes IS NULL OR size(hashes) <> size(x.hashes)
   OR any(h IN hashes WHERE NOT h IN x.hashes)
DETACH DELETE x
RETURN count(*) AS dropped
