// Drop the version contents that may no longer hold (see store/derived.py): those of
// contract versions rewritten or deleted since (the version's HAS_CONTENT went with its
// outgoing relationships), those whose version's fields are no longer the ones read (a
// field rewritten has another content hash; fields are unique to their version, so the
// hashes compare as sets), those whose version's operations are no longer the ones named
// (compared as sets of names), and those written before contents named operations.
MATCH (x:VersionContent)
OPTIONAL MATCH (v:ContractVersion)-[:HAS_CONTENT]->(x)
WITH x, v, [(v)-[:HAS_FIELD]->(f:Field) | f.content_hash] AS hashes,
     [(v)-[:HAS_OPERATION]->(o:Operation) | o.name] AS operations
WHERE v IS NULL OR x.hashes IS NULL OR size(hashes) <> size(x.hashes)
   OR any(h IN hashes WHERE NOT h IN x.hashes)
   OR x.operations IS NULL OR size(operations) <> size(x.operations)
   OR any(o IN operations WHERE NOT o IN x.operations)
DETACH DELETE x
RETURN count(*) AS dropped
