// id: SEC-10
// title: Regulated exchange without audit logging
// severity: error
// area: security
// tags: [audit, pci-dss, hipaa]
// rationale: >
//   PCI DSS v4 requirement 10.2.1 requires audit logs of all individual access to cardholder
//   data (10.2.2: who, what, when, outcome, origin, resource), and the HIPAA security rule
//   (45 CFR 164.312(b)) requires audit controls recording activity in systems holding ePHI.
//   Without them a breach cannot be scoped or proven. A flow needs audit logging when a field
//   of a contract version it uses (every version of its contract when it names none; only the
//   fields of the operations it names and of the version's own bodies when it names some) is
//   classified with audit_required, or with a regulation listed in audited_regulations
//   (compared ignoring case, spaces, hyphens and underscores). audit_logging defaults to false,
//   so a flow that does not declare it is reported.
// remediation: >
//   Audit-log the exchange (caller identity, event type, time, outcome, origin and resource, as
//   PCI DSS 10.2.2 lists) and set audit_logging: true with audit_retention_days on the flow.
// references:
//   - https://www.pcisecuritystandards.org/document_library/
//   - https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.312
//   - https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html
// parameters:
//   audited_regulations: [PCI-DSS, HIPAA]
WITH [r IN $audited_regulations |
       toUpper(replace(replace(replace(r, '-', ''), '_', ''), ' ', ''))] AS audited
MATCH (cl:Classification)
WHERE cl.audit_required = true
   OR any(r IN coalesce(cl.regulations, [])
          WHERE toUpper(replace(replace(replace(r, '-', ''), '_', ''), ' ', '')) IN audited)
MATCH (cl)<-[:CLASSIFIED_AS]-(fld:Field)<-[:HAS_FIELD]-(v:ContractVersion)
WITH DISTINCT cl, v, fld.operation AS operation
// The flows carrying the version: those using it, and those naming only its contract.
CALL (v) {
  MATCH (f:Flow)-[:USES_VERSION]->(v)
  RETURN f
  UNION
  MATCH (f:Flow)-[:USES_CONTRACT]->(:Contract)-[:HAS_VERSION]->(v)
  WHERE NOT EXISTS { (f)-[:USES_VERSION]->() }
  RETURN f
}
// A flow naming operations carries only their fields and those of the version's own bodies.
WITH f, cl, operation
WHERE operation IS NULL
   OR NOT EXISTS { (f)-[:USES_OPERATION]->(:Operation) }
   OR EXISTS { (f)-[:USES_OPERATION]->(:Operation {name: operation}) }
WITH DISTINCT f, cl
WHERE coalesce(f.audit_logging, false) = false
MATCH (f)-[:FROM]->(s:System), (f)-[:TO]->(t:System)
WITH f, s, t, cl
ORDER BY cl.id
WITH f, s, t, collect(cl.id) AS classifications,
     reduce(acc = [], regs IN collect(coalesce(cl.regulations, [])) |
       acc + [r IN regs WHERE NOT r IN acc]) AS regulations
RETURN f.id AS element,
       [] AS related,
       'flow ' + f.id + ' (' + s.id + ' -> ' + t.id + ') exchanges audited data (' +
       reduce(x = head(classifications), c IN tail(classifications) | x + ', ' + c) +
       CASE
         WHEN size(regulations) > 0
           THEN '; ' + reduce(x = head(regulations), r IN tail(regulations) | x + ', ' + r)
         ELSE ''
       END + ') without audit logging' AS message,
       {audit_logging: coalesce(f.audit_logging, false), classifications: classifications,
        regulations: regulations, source: s.id, target: t.id} AS details
ORDER BY element
