// id: RES-05
// title: Retry policy without a bound
// severity: error
// area: error-handling
// tags: [retry]
// rationale: >
//   A retry policy with neither a maximum number of attempts nor a maximum elapsed time keeps
//   retrying a call that will not succeed: it holds threads and connections, multiplies the
//   load on a struggling dependency and turns a short outage into a retry storm. AWS
//   Well-Architected (REL05-BP03) and the Builders' Library require retries to be capped. The
//   bound must be explicit: a policy that sets neither max_attempts nor max_elapsed_ms is the
//   violation, whatever a library's default may be.
// remediation: >
//   Set max_attempts (total attempts, including the first; 3 is a common choice) and/or
//   max_elapsed_ms on the retry policy.
// references:
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel05-bp03.html
//   - https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
//   - https://learn.microsoft.com/en-us/azure/architecture/antipatterns/retry-storm/
MATCH (r:Policy {kind: 'retry'})
WHERE r.max_attempts IS NULL AND r.max_elapsed_ms IS NULL
OPTIONAL MATCH (r)-[:APPLIES_TO]->(target:Element)
WITH r, target
ORDER BY target.id
WITH r, collect(target.id) AS applies_to
RETURN r.id AS element,
       [] AS related,
       'retry policy ' + r.id +
       CASE WHEN size(applies_to) > 0
            THEN ' (on ' + reduce(s = head(applies_to), t IN tail(applies_to) | s + ', ' + t) + ')'
            ELSE '' END +
       ' sets neither max_attempts nor max_elapsed_ms: it retries forever' AS message,
       {applies_to: applies_to} AS details
ORDER BY element
