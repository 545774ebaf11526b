// Delete elements (and their relationships) by id.
UNWIND $ids AS id
MATCH (n:Element {id: id})
DETACH DELETE n
RETURN count(*) AS deleted
