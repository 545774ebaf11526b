// id: ADR-04
// title: Decision record missing context, options, decision or consequences
// severity: info
// area: decisions
// tags: [adr, documentation]
// rationale: >
//   A decision record is only useful to the people who inherit it if it says why: the context
//   and problem (Nygard's Context; MADR's context and problem statement), the options that
//   were considered (MADR's considered options: a choice needs at least min_options
//   alternatives), what was decided ("We will ...", or MADR's chosen option) and the
//   consequences accepted with it. A blank or absent part is the violation. Only decisions
//   whose status is in statuses are checked: by default those in force or about to be;
//   deprecated, superseded and rejected records are history and are left as they were written.
// remediation: >
//   Fill in the missing parts of the record: `context`, at least min_options `options` (with
//   pros and cons), `decision` or `chosen_option`, and `consequences`.
// references:
//   - https://adr.github.io/madr/
//   - https://cognitect.com/blog/2011/11/15/documenting-architecture-decisions
//   - https://docs.aws.amazon.com/prescriptive-guidance/latest/architectural-decision-records/adr-process.html
// parameters:
//   statuses: [proposed, accepted]
//   min_options: 2
MATCH (d:Decision)
WHERE d.status IN $statuses
// `options` is stored as a JSON list with sorted keys: each option has exactly one "name" key
// (a quote inside a text value is escaped, so it cannot fake one).
WITH d, size(split(coalesce(d.options, '[]'), '"name": ')) - 1 AS options
WITH d, options,
     [part IN [
        CASE WHEN trim(coalesce(d.context, '')) = '' THEN 'context' END,
        CASE WHEN options < $min_options THEN 'options' END,
        CASE WHEN trim(coalesce(d.decision, '')) = '' AND trim(coalesce(d.chosen_option, '')) = ''
             THEN 'decision' END,
        CASE WHEN trim(coalesce(d.consequences, '')) = '' THEN 'consequences' END
      ] WHERE part IS NOT NULL] AS missing
WHERE size(missing) > 0
RETURN d.id AS element,
       [] AS related,
       'decision ' + d.id + ' (' + d.status + ') does not record its ' +
       reduce(s = head(missing), part IN tail(missing) | s + ', ' + part) +
       CASE WHEN 'options' IN missing
            THEN ' (' + toString(options) + ' option(s) considered, at least ' +
                 toString($min_options) + ' expected)'
            ELSE '' END AS message,
       {status: d.status, missing: missing, options: options} AS details
ORDER BY element
