// Remove the outgoing relationships of the elements being (re)loaded; they are written anew.
UNWIND $ids AS id
MATCH (:Element {id: id})-[r]->()
DELETE r
RETURN count(r) AS deleted
