// id: ADR-02
// title: Element governed by a deprecated or superseded decision
// severity: warning
// area: decisions
// tags: [adr, governance]
// rationale: >
//   An accepted decision record is immutable; when new insight changes it, a new record is
//   accepted that supersedes it, and the old one is marked superseded with a reference to its
//   successor (Nygard; MADR; AWS ADR process). Two things then go wrong. An element whose only
//   backing decisions (those that govern it, or justify it for a waiver) are deprecated or
//   superseded rests on a rationale the organisation has withdrawn: either the successor
//   covers it and should say so, or the element is a leftover of the old choice. And a
//   decision marked superseded with no successor leaves readers with no current answer. A
//   successor counts when it is accepted, or itself deprecated or superseded later (the chain
//   goes on); a proposed or rejected decision that lists it in `supersedes` has not replaced
//   it. Elements with no decision at all are not this rule's concern (ADR-01, SEC-13).
// remediation: >
//   Add the element to the successor decision's `governs` (or point the waiver's `decision`
//   at it), or change the element to follow the successor; for a superseded decision, accept
//   the decision that replaces it and list the old id in its `supersedes`, or set the old
//   record's status back to accepted or to deprecated.
// references:
//   - https://cognitect.com/blog/2011/11/15/documenting-architecture-decisions
//   - https://adr.github.io/madr/
//   - https://docs.aws.amazon.com/prescriptive-guidance/latest/architectural-decision-records/adr-process.html
CALL () {
  // 1. Elements every backing decision of which is retired. Anchored on the (few) retired
  //    decisions, then each element's full set of backing decisions is read.
  MATCH (old:Decision)
  WHERE old.status IN ['deprecated', 'superseded']
  CALL (old) {
    MATCH (old)-[:GOVERNS]->(x:Element)
    RETURN x
    UNION
    MATCH (x:Waiver)-[:JUSTIFIED_BY]->(old)
    RETURN x
  }
  WITH DISTINCT x
  CALL (x) {
    MATCH (d:Decision)-[:GOVERNS]->(x)
    RETURN d
    UNION
    MATCH (x)-[:JUSTIFIED_BY]->(d:Decision)
    RETURN d
  }
  WITH x, d
  ORDER BY d.id
  WITH x, collect(d) AS backing
  WHERE all(d IN backing WHERE d.status IN ['deprecated', 'superseded'])
  WITH x, backing,
       COLLECT {
         UNWIND backing AS d
         MATCH (next:Decision)-[:SUPERSEDES]->(d)
         RETURN DISTINCT next.id AS id ORDER BY id
       } AS successors
  RETURN x.id AS element,
         [d IN backing | d.id] AS related,
         [l IN labels(x) WHERE l <> 'Element'][0] + ' ' + x.id +
         ' is governed only by retired decisions: ' +
         reduce(s = '', d IN backing |
                s + CASE WHEN s = '' THEN '' ELSE ', ' END + d.id + ' (' + d.status + ')') +
         CASE WHEN size(successors) = 0 THEN '; no decision replaces them'
              ELSE '; have ' + reduce(s = '', n IN successors |
                                      s + CASE WHEN s = '' THEN '' ELSE ', ' END + n) +
                   ' govern it, or change it'
         END AS message,
         {kind: 'retired_governance', decisions: [d IN backing | d.id],
          statuses: [d IN backing | d.status], successors: successors} AS details
  UNION ALL
  // 2. Superseded decisions that no accepted (or later retired) decision supersedes.
  MATCH (d:Decision {status: 'superseded'})
  WITH d,
       COLLECT {
         MATCH (next:Decision)-[:SUPERSEDES]->(d)
         RETURN next ORDER BY next.id
       } AS claimed
  WHERE none(n IN claimed WHERE n.status IN ['accepted', 'deprecated', 'superseded'])
  RETURN d.id AS element,
         [] AS related,
         'decision ' + d.id + ' is marked superseded but ' +
         CASE WHEN size(claimed) = 0 THEN 'no decision supersedes it'
              ELSE 'only ' + reduce(s = '', n IN claimed |
                                    s + CASE WHEN s = '' THEN '' ELSE ', ' END +
                                    n.id + ' (' + n.status + ')') +
                   ' list it in supersedes, and none of them is accepted'
         END AS message,
         {kind: 'no_successor', claimed_by: [n IN claimed | n.id],
          statuses: [n IN claimed | n.status]} AS details
}
RETURN element, related, message, details
ORDER BY element, details.kind
