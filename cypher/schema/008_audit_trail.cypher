// The audit trail: one (:AuditEntry) per change made (a load, an element mutation, a review
// step), written in the change's own transaction, with its changes as (:AuditChange) nodes.
// Neither is an :Element: lint, export, impact and content hashes never see them.
CREATE CONSTRAINT audit_entry_id IF NOT EXISTS
FOR (e:AuditEntry) REQUIRE e.id IS UNIQUE;

// Newest first, and "since DATE".
CREATE INDEX audit_entry_at IF NOT EXISTS
FOR (e:AuditEntry) ON (e.at);

// "What happened to blueprint B", and the truncated entries an element query looks into.
CREATE INDEX audit_entry_blueprint IF NOT EXISTS
FOR (e:AuditEntry) ON (e.blueprint);

// "Who changed landscape:crm".
CREATE INDEX audit_change_element IF NOT EXISTS
FOR (c:AuditChange) ON (c.element);
