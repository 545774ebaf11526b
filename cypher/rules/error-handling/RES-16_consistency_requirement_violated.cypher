// id: RES-16
// title: Consistency requirement not met by the flow's pattern or schedule
// severity: error
// area: error-handling
// tags: [consistency, batch, messaging]
// rationale: >
//   The consistency a business process needs must be one the integration can deliver. Data
//   copied by a batch is, just before the next run, as old as the interval between runs, so an
//   eventual-consistency requirement with max_staleness_seconds shorter than
//   schedule_interval_seconds is broken by design on every cycle (a flow that gives only a cron
//   `schedule` has its interval derived from it when it is validated: the longest gap between
//   two runs, e.g. three days for a weekdays-only batch). And an asynchronous exchange
//   (event, command, stream or batch) is eventually consistent by construction (Vogels,
//   "Eventually Consistent"): the receiver sees the change only after the message is delivered
//   and processed, so it cannot meet a "strong" requirement. Flows without a consistency
//   requirement, or without a staleness bound or a schedule interval, are not checked (nothing
//   to compare); a request_response flow can be strong.
// remediation: >
//   Run the batch at least as often as the staleness bound (or move it to events), relax the
//   bound if the business accepts it, or make the strongly consistent part a synchronous call
//   (with the timeouts and breakers it needs) and keep events for the rest.
// references:
//   - https://www.allthingsdistributed.com/2008/12/eventually_consistent.html
//   - https://learn.microsoft.com/en-us/azure/architecture/patterns/event-sourcing
//   - https://learn.microsoft.com/en-us/azure/architecture/guide/technology-choices/messaging
MATCH (f:Flow)
WHERE (f.consistency = 'strong' AND f.pattern <> 'request_response')
   OR (f.max_staleness_seconds IS NOT NULL AND f.schedule_interval_seconds IS NOT NULL
       AND f.max_staleness_seconds < f.schedule_interval_seconds)
MATCH (f)-[:FROM]->(src:System), (f)-[:TO]->(dst:System)
WITH f, src, dst,
     CASE WHEN f.consistency = 'strong' AND f.pattern <> 'request_response'
          THEN ['it requires strong consistency but is an asynchronous ' + f.pattern + ' flow']
          ELSE [] END +
     CASE WHEN f.max_staleness_seconds < f.schedule_interval_seconds
          THEN ['it allows data ' + toString(f.max_staleness_seconds) +
                ' s old but runs only every ' + toString(f.schedule_interval_seconds) + ' s']
          ELSE [] END AS problems
RETURN f.id AS element,
       [] AS related,
       'flow ' + f.id + ' (' + src.id + ' -> ' + dst.id + '): ' +
       reduce(s = head(problems), p IN tail(problems) | s + '; ' + p) +
       ', so ' + dst.id + ' sees data staler than the business requires' AS message,
       {pattern: f.pattern, consistency: f.consistency,
        max_staleness_seconds: f.max_staleness_seconds,
        schedule_interval_seconds: f.schedule_interval_seconds} AS details
ORDER BY element
