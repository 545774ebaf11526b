// id: GOV-02
// title: Expired waiver
// severity: warning
// area: governance
// tags: [waivers]
// rationale: >
//   A waiver accepts a known finding for a time; accepted risk is reviewed when its term ends
//   (NIST SP 800-37 ongoing authorization; a decision behind it is revisited, as ADR records
//   are superseded). Once its `expires` date has passed (expires before today; a waiver
//   expiring today still applies) it no longer applies: the finding it covered is open again
//   and the waiver is dead text that misleads readers. Waivers without an expiry never
//   expire and are not reported. This is the same test the engine applies when it matches
//   waivers, which also lists expired waivers among the report's waiver problems; a waiver
//   that matches no finding (stale) can only be seen against the findings of a run, so the
//   engine's waiver check reports those, not this rule.
// remediation: >
//   Fix the finding and remove the waiver, or review the acceptance and renew it with a new
//   `expires` date (and an accepted decision as its `decision`).
// references:
//   - https://csrc.nist.gov/pubs/sp/800/37/r2/final
//   - https://cognitect.com/blog/2011/11/15/documenting-architecture-decisions
MATCH (w:Waiver)
WHERE w.expires IS NOT NULL AND date(w.expires) < date()
OPTIONAL MATCH (w)-[:WAIVES]->(target:Element)
RETURN w.id AS element,
       [] AS related,
       'waiver ' + w.id + ' of ' + w.rule + ' expired on ' + toString(date(w.expires)) +
       '; it no longer applies' +
       coalesce(' to ' + target.id, ' to finding ' + w.fingerprint, '') AS message,
       {rule: w.rule, expires: toString(date(w.expires)), element: target.id,
        fingerprint: w.fingerprint} AS details
ORDER BY element
