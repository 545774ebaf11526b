// One audit entry and its changes, in the transaction of the change it records.
CREATE (e:AuditEntry)
SET e = $entry
WITH e
UNWIND $changes AS change
CREATE (e)-[:CHANGED]->(c:AuditChange)
SET c = change
RETURN count(c) AS changes
