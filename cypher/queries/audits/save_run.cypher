// One audit run with its findings, one (:AuditFindings) node per rule holding parallel lists
// (fingerprints[i], elements[i], ... describe the i-th finding). $run is the run's map of
// properties; $chunks the list of per-rule maps.
CREATE (r:AuditRun)
SET r = $run
WITH r
UNWIND $chunks AS chunk
CREATE (r)-[:HAS_FINDINGS]->(f:AuditFindings)
SET f = chunk, f.run = r.id
RETURN count(f) AS chunks
