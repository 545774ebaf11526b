// Drop the version contents that may no longer hold (see store/derived.py): those of
// contract versions rewritten or deleted since (the version's HAS_CONTENT went with its
// outgoing relationships), and those read from a field rewritten or deleted since (its
// DESCRIBES went with it, so fewer remain than the content counted).
MATCH (x:VersionContent)
WHERE NOT EXISTS { ()-[:HAS_CONTENT]->(x) } OR COUNT { (x)<-[:DESCRIBES]-() } <> x.fields
DETACH DELETE x
RETURN count(*) AS dropped
