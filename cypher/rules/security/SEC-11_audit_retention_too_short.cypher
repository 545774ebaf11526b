// id: SEC-11
// title: Audit retention below the regulation's minimum
// severity: warning
// area: security
// tags: [audit, retention, pci-dss, hipaa]
// rationale: >
//   Breaches are often found months after they start, so audit logs must outlive them: PCI DSS
//   v4 requirement 10.5.1 keeps audit log history for at least 12 months (three immediately
//   available), and HIPAA (45 CFR 164.316(b)(2)) keeps the required documentation, audit
//   records included, for 6 years. The minimum for a flow is the largest of: the
//   min_audit_retention_days of every classification of the fields it carries (fields of the
//   contract versions it uses, every version of its contract when it names none), and the
//   regulation_min_retention_days of every regulation those classifications list (compared
//   ignoring case, spaces, hyphens and underscores). Only audit-logged flows are checked (SEC-10
//   reports the others); one that does not declare audit_retention_days is reported, since its
//   logs then live as long as the logging platform's default, often weeks.
// remediation: >
//   Keep the flow's audit logs at least as long as the strictest requirement and declare it in
//   audit_retention_days.
// references:
//   - https://www.pcisecuritystandards.org/document_library/
//   - https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.316
// parameters:
//   regulation_min_retention_days:
//     PCI-DSS: 365
//     HIPAA: 2190
WITH [k IN keys($regulation_min_retention_days) |
       {key: toUpper(replace(replace(replace(k, '-', ''), '_', ''), ' ', '')), name: k,
        days: $regulation_min_retention_days[k]}] AS minima
MATCH (cl:Classification)
// Every retention requirement a classification brings, with where it comes from.
WITH cl,
     [m IN minima
       WHERE any(r IN coalesce(cl.regulations, [])
                 WHERE toUpper(replace(replace(replace(r, '-', ''), '_', ''), ' ', '')) = m.key)
       | {days: m.days, source: m.name + ' (' + cl.id + ')'}] +
     CASE
       WHEN cl.min_audit_retention_days IS NULL THEN []
       ELSE [{days: cl.min_audit_retention_days, source: 'classification ' + cl.id}]
     END AS requirements
WHERE size(requirements) > 0
MATCH (cl)<-[:CLASSIFIED_AS]-(:Field)<-[:HAS_FIELD]-(v:ContractVersion)
WITH DISTINCT cl, requirements, v
// The flows carrying the version: those using it, and those naming only its contract.
CALL (v) {
  MATCH (f:Flow)-[:USES_VERSION]->(v)
  RETURN f
  UNION
  MATCH (f:Flow)-[:USES_CONTRACT]->(:Contract)-[:HAS_VERSION]->(v)
  WHERE NOT EXISTS { (f)-[:USES_VERSION]->() }
  RETURN f
}
WITH DISTINCT f, cl, requirements
WHERE f.audit_logging = true
UNWIND requirements AS requirement
WITH f, requirement
ORDER BY requirement.source
WITH f, collect(requirement) AS requirements
WITH f, requirements, reduce(m = 0, r IN requirements | CASE WHEN r.days > m THEN r.days ELSE m END)
       AS required
WHERE f.audit_retention_days IS NULL OR f.audit_retention_days < required
WITH f, required, [r IN requirements WHERE r.days = required | r.source] AS sources
MATCH (f)-[:FROM]->(s:System), (f)-[:TO]->(t:System)
RETURN f.id AS element,
       [] AS related,
       'flow ' + f.id + ' (' + s.id + ' -> ' + t.id + ') ' +
       CASE
         WHEN f.audit_retention_days IS NULL THEN 'declares no audit retention'
         ELSE 'keeps audit logs ' + toString(f.audit_retention_days) + ' days'
       END + ', below the ' + toString(required) + ' days required by ' +
       reduce(x = head(sources), src IN tail(sources) | x + ', ' + src) AS message,
       {audit_retention_days: f.audit_retention_days, required_days: required,
        required_by: sources} AS details
ORDER BY element
