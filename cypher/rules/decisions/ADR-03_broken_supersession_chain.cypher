// id: ADR-03
// title: Broken supersession chain
// severity: error
// area: decisions
// tags: [adr, governance]
// rationale: >
//   Superseding decisions form a log: each superseded record points to the one record that
//   replaced it, so that following the chain always ends at the decision in force (Nygard;
//   MADR; AWS ADR process). A cycle (decisions superseding each other, directly or through
//   others) has no decision in force, and two successors that neither supersedes the other
//   are rival answers to the same question. The loader refuses cycles in one blueprint's
//   files; this rule also guards graphs written otherwise. Cycles are searched up to 12
//   decisions long (a fixed bound: no real chain is longer). A successor that another
//   successor supersedes, directly or later, is an intermediate step, not a rival; a rejected
//   decision listing `supersedes` replaced nothing and is ignored.
// remediation: >
//   Make the chain linear: break the cycle by removing one `supersedes` entry, and when two
//   decisions replace the same one, let the later supersede the earlier (or reject one).
// references:
//   - https://cognitect.com/blog/2011/11/15/documenting-architecture-decisions
//   - https://adr.github.io/madr/
//   - https://docs.aws.amazon.com/prescriptive-guidance/latest/architectural-decision-records/adr-process.html
CALL () {
  // 1. Cycles, each reported once: from its smallest id, as a simple cycle (no decision twice).
  MATCH p = (d:Decision)-[:SUPERSEDES*1..12]->(d)
  WITH d, [n IN nodes(p) | n.id] AS ring
  WHERE all(id IN ring WHERE id >= d.id)
    AND size(ring) - 1 = size(reduce(seen = [], id IN ring[..-1] |
                                     CASE WHEN id IN seen THEN seen ELSE seen + id END))
  WITH d, ring,
       COLLECT { UNWIND ring[1..-1] AS id RETURN DISTINCT id ORDER BY id } AS others
  // Cycles through the same decisions in another order are one finding: keep the first.
  WITH d, others, min(reduce(s = d.id, id IN ring[1..] | s + ' -> ' + id)) AS chain
  RETURN d.id AS element,
         others AS related,
         CASE WHEN size(others) = 0 THEN 'decision ' + d.id + ' supersedes itself'
              ELSE 'decisions ' + d.id + ', ' +
                   reduce(s = head(others), id IN tail(others) | s + ', ' + id) +
                   ' supersede each other in a cycle (' + chain +
                   '): none of them is in force'
         END AS message,
         {kind: 'cycle', chain: chain} AS details
  UNION ALL
  // 2. Decisions with rival successors.
  MATCH (d:Decision)<-[:SUPERSEDES]-(next:Decision)
  WHERE next.status <> 'rejected'
  WITH d, collect(next) AS successors
  WHERE size(successors) > 1
  WITH d, [n IN successors
           WHERE NOT any(m IN successors
                         WHERE m <> n AND EXISTS { MATCH (m)-[:SUPERSEDES*1..12]->(n) })] AS heads
  WHERE size(heads) > 1
  WITH d, COLLECT { UNWIND heads AS h RETURN h.id AS id ORDER BY id } AS rivals
  RETURN d.id AS element,
         rivals AS related,
         'decision ' + d.id + ' is superseded by ' + toString(size(rivals)) +
         ' rival decisions (' + reduce(s = head(rivals), id IN tail(rivals) | s + ', ' + id) +
         '), none superseding another: which one is in force is ambiguous' AS message,
         {kind: 'rival_successors', successors: rivals} AS details
}
RETURN element, related, message, details
ORDER BY element, details.kind
