// One audit entry's time and id (a page cursor), if it exists.
MATCH (e:AuditEntry {id: $id})
RETURN e.at AS at, e.id AS id
