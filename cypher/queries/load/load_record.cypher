// The last load whose files had this digest, if the blueprint is still as it wrote it.
MATCH (r:LoadRecord {files_digest: $digest})
MATCH (:Blueprint {id: r.blueprint})
RETURN r.blueprint AS blueprint, r.elements AS elements, r.relationships AS relationships,
       r.pruned AS pruned
