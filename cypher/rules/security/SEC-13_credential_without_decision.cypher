// id: SEC-13
// title: Credential without a decision record giving its rationale
// severity: warning
// area: security
// tags: [authentication, decisions, inventory]
// rationale: >
//   How a service authenticates (which mechanism, who issues it, why an API key was accepted
//   for a partner) is an architecturally significant, security-relevant choice that reviewers
//   and auditors must be able to trace; architecture decision records (Nygard, MADR) keep the
//   context, the options weighed and the consequences. OWASP API9 asks for an inventory of how
//   each integration is secured. The model links a credential to its rationale by a decision
//   that governs it; a credential that no decision governs, or that only rejected decisions
//   govern, is reported. Deprecated and superseded decisions still count here; ADR-02 reports
//   them.
// remediation: >
//   Write a decision record (MADR) for the credential's set-up and list the credential in its
//   governs.
// references:
//   - https://adr.github.io/madr/
//   - https://cognitect.com/blog/2011/11/15/documenting-architecture-decisions
//   - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
// parameters:
//   non_justifying_statuses: [rejected]
MATCH (c:Credential)
WHERE NOT EXISTS {
  MATCH (d:Decision)-[:GOVERNS]->(c)
  WHERE NOT d.status IN $non_justifying_statuses
}
// Show the decisions that do govern it, so the message says why they do not count.
WITH c,
     COLLECT {
       MATCH (d:Decision)-[:GOVERNS]->(c)
       RETURN d.id + ' (' + d.status + ')' AS decision ORDER BY decision
     } AS discounted
RETURN c.id AS element,
       [] AS related,
       'credential ' + c.id + ' (' + c.kind + ') is governed by no decision record' +
       CASE
         WHEN size(discounted) > 0
           THEN ' other than ' + reduce(x = head(discounted), d IN tail(discounted) | x + ', ' + d)
         ELSE ''
       END + ': record why it is set up this way' AS message,
       {kind: c.kind, discounted_decisions: discounted} AS details
ORDER BY element
