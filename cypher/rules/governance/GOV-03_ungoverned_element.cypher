// id: GOV-03
// title: Element outside any blueprint review, or system without an owner team
// severity: warning
// area: governance
// tags: [ownership, inventory, owasp-api9]
// rationale: >
//   Every system needs an identified owner for change control, troubleshooting and acting on
//   findings (AWS Well-Architected OPS02-BP01), and an integration inventory is only
//   trustworthy if every system, flow and platform component in it is documented and reviewed
//   (OWASP API9 improper inventory management). Three cases are reported. A system without an
//   `owner` team (absence is the violation; systems whose lifecycle is in ignore_lifecycles,
//   by default retired ones, are exempt, and so are actors, systems of kind actor: the people
//   and clients outside the landscape that no team of ours runs). A system, flow or component
//   that belongs to no blueprint: the loader stamps every element with its blueprint, so this
//   only finds nodes written by other means, which no review ever saw. And, when check_scope
//   is true, a system, flow or component of a blueprint whose `scope` is not empty but does not
//   include it: the scope names what the review covers, so the element is in the files but
//   under no review.
//   A component is inside the scope when it, or a component it is (transitively, up to 5
//   levels) part of, is listed; a flow or a system only when its own id is.
// remediation: >
//   Give the system an `owner` team; load stray elements from blueprint files; add the element
//   (or the broker it is part of) to the blueprint's `scope`, or empty the scope so that the
//   review covers the whole blueprint.
// references:
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/ops_ops_model_def_resource_owners.html
//   - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
// parameters:
//   ignore_lifecycles: [retired]
//   check_scope: true
CALL () {
  // 1. Systems of a blueprint without an owner team (a system in no blueprint is case 2).
  MATCH (s:System)
  WHERE NOT coalesce(s.lifecycle, 'active') IN $ignore_lifecycles
    AND coalesce(s.kind, 'service') <> 'actor'
    AND NOT EXISTS { MATCH (s)-[:OWNED_BY]->(:Team) }
    AND EXISTS { MATCH (s)-[:IN_BLUEPRINT]->(:Blueprint) }
  RETURN s.id AS element,
         [] AS related,
         'system ' + s.id + ' has no owner team: nobody is accountable for its changes, ' +
         'incidents and findings' AS message,
         {kind: 'no_owner', lifecycle: s.lifecycle} AS details
  UNION ALL
  // 2. Systems, flows and components in no blueprint at all.
  MATCH (n:System|Flow|Component)
  WHERE NOT EXISTS { MATCH (n)-[:IN_BLUEPRINT]->(:Blueprint) }
  WITH n, [l IN labels(n) WHERE l <> 'Element'][0] AS label,
       n:System AND coalesce(n.kind, 'service') <> 'actor'
         AND NOT EXISTS { MATCH (n)-[:OWNED_BY]->(:Team) } AS unowned
  RETURN n.id AS element,
         [] AS related,
         toLower(label) + ' ' + n.id + ' belongs to no blueprint: no review has seen it' +
         CASE WHEN unowned THEN ', and it has no owner team' ELSE '' END AS message,
         {kind: 'no_blueprint', label: label, blueprint: n.blueprint, no_owner: unowned}
           AS details
  UNION ALL
  // 3. Systems, flows and components left out of their blueprint's non-empty scope.
  MATCH (b:Blueprint)
  WHERE $check_scope AND EXISTS { MATCH (b)-[:SCOPES]->() }
  WITH b, COUNT { MATCH (b)-[:SCOPES]->() } AS scoped
  MATCH (n:System|Flow|Component)-[:IN_BLUEPRINT]->(b)
  WHERE NOT EXISTS { MATCH (b)-[:SCOPES]->(n) }
    AND NOT EXISTS { MATCH (n)-[:PART_OF*1..5]->(:Component)<-[:SCOPES]-(b) }
  WITH b, scoped, n, [l IN labels(n) WHERE l <> 'Element'][0] AS label
  RETURN n.id AS element,
         [b.id] AS related,
         toLower(label) + ' ' + n.id + ' is outside the scope of blueprint ' + b.id +
         ' (which reviews ' + toString(scoped) + ' listed element(s)): it is in the files ' +
         'but under no review' AS message,
         {kind: 'out_of_scope', label: label, blueprint: b.id} AS details
}
RETURN element, related, message, details
ORDER BY element, details.kind
