// A blueprint changed otherwise than by loading its files (a mutation, a review step): the
// digest of the files of its last load no longer describes the graph, so the next load of
// those files is a full one.
MATCH (r:LoadRecord {blueprint: $blueprint})
SET r.files_digest = null
