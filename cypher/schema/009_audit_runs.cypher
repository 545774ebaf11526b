// Scheduled audits: one (:AuditRun) per run of the lint rules, its findings in one
// (:AuditFindings) node per rule (parallel lists: a run of 80,000 findings is a few dozen
// nodes, not 80,000), the leases that keep replicas from running the same audit twice, and
// every alert delivery attempt. None is an :Element: lint, export, impact never see them.
CREATE CONSTRAINT audit_run_id IF NOT EXISTS
FOR (r:AuditRun) REQUIRE r.id IS UNIQUE;

// The previous complete run of a scope, and listings newest first.
CREATE INDEX audit_run_scope_started IF NOT EXISTS
FOR (r:AuditRun) ON (r.scope_key, r.started);

CREATE INDEX audit_findings_run IF NOT EXISTS
FOR (f:AuditFindings) ON (f.run);

CREATE CONSTRAINT audit_lease_scope IF NOT EXISTS
FOR (l:AuditLease) REQUIRE l.scope_key IS UNIQUE;

CREATE INDEX alert_delivery_run IF NOT EXISTS
FOR (d:AlertDelivery) ON (d.run);
