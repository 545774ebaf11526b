// id: GOV-01
// title: Approved blueprint with unwaived error findings
// severity: error
// area: governance
// tags: [review, waivers]
// check: open_findings_in_approved_blueprints
// rationale: >
//   Approving a blueprint accepts its risks. A known defect may be accepted only explicitly:
//   a waiver that names the finding, carries a justification and, ideally, an accepted
//   decision and an expiry date, as an authorising official accepts residual risk with a plan
//   of action (NIST SP 800-37). An approved blueprint that still has findings of severity
//   min_severity or above that no waiver covers was approved with unexamined defects. A
//   finding counts against a blueprint when its element belongs to it and, if the blueprint
//   declares a scope, lies inside the scope (the scoped id itself, or a version or field of a
//   scoped contract). Findings are computed by the engine, not stored: this rule runs after
//   every other rule and judges the findings of the rules run with it, waivers applied; a
//   baselined finding still counts (a baseline hides old findings, it does not justify them).
// remediation: >
//   Fix the findings, or waive each one with a justification and an accepted decision (the
//   waiver's `decision`), or take the blueprint back to in_review until they are resolved.
// references:
//   - https://csrc.nist.gov/pubs/sp/800/37/r2/final
//   - https://docs.aws.amazon.com/prescriptive-guidance/latest/architectural-decision-records/adr-process.html
//   - https://adr.github.io/madr/
// parameters:
//   min_severity: error
//   max_listed: 5
MATCH (b:Blueprint {status: 'approved'})
// One row per approved blueprint with its scope; the check counts the unwaived findings whose
// element it owns (the engine has placed every finding: its blueprint is known) and that
// lie inside the scope when it declares one.
RETURN b.id AS blueprint,
       b.version AS version,
       COLLECT { MATCH (b)-[:SCOPES]->(s) RETURN s.id AS id ORDER BY id } AS scope
ORDER BY blueprint
