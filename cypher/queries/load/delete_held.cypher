// Remove the relationships held by the elements being (re)loaded, which are written anew:
// those leaving them, and those of the types written at their end ($at_end: AUTHENTICATES,
// HOLDS) arriving at them. Relationships other blueprints hold on them stay.
UNWIND $ids AS id
MATCH (n:Element {id: id})
CALL (n) {
  MATCH (n)-[r]->()
  WHERE NOT type(r) IN $at_end
  DELETE r
  RETURN count(r) AS leaving
}
CALL (n) {
  MATCH (n)<-[r]-()
  WHERE type(r) IN $at_end
  DELETE r
  RETURN count(r) AS arriving
}
RETURN sum(leaving + arriving) AS deleted
