// What the load in this transaction wrote, and the digest of the files it read (null when
// it did not come from files): the next load of the same files need not parse them.
MERGE (r:LoadRecord {blueprint: $blueprint})
SET r.files_digest = $digest, r.elements = $elements, r.relationships = $relationships,
    r.pruned = $pruned, r.loaded_at = datetime()
