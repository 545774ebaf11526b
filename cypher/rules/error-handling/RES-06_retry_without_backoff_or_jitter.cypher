// id: RES-06
// title: Retry without exponential backoff or without jitter
// severity: warning
// area: error-handling
// tags: [retry, backoff]
// rationale: >
//   Retrying at a fixed interval keeps the pressure on a dependency that is failing because it
//   is overloaded, and many clients that failed together retry together: without jitter their
//   retries arrive in synchronised waves. The AWS Builders' Library and Well-Architected
//   REL05-BP03 ask for exponential backoff (expo = min(cap, base * 2^n)) with jitter (full,
//   equal or decorrelated). Decorrelated jitter grows its own sleep (random(base, prev * 3)),
//   so it counts as backoff whatever the backoff field says; an exponential backoff with a
//   multiplier of 1 is a fixed interval. Absent backoff or jitter is the violation (libraries
//   such as resilience4j default to a fixed wait without jitter). A policy with max_attempts 1
//   never retries and is not checked.
// remediation: >
//   Set backoff exponential (multiplier 2, a max_delay_ms cap) and jitter full, or jitter
//   decorrelated, on the retry policy.
// references:
//   - https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
//   - https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel05-bp03.html
//   - https://resilience4j.readme.io/docs/retry
// parameters:
//   accepted_jitter: [full, equal, decorrelated]
MATCH (r:Policy {kind: 'retry'})
WHERE coalesce(r.max_attempts, 2) > 1
WITH r,
     // coalesce: an unset field compares as null, which must count as "not configured".
     coalesce(r.jitter = 'decorrelated'
              OR (r.backoff = 'exponential' AND coalesce(r.multiplier, 2) > 1), false)
       AS backs_off,
     coalesce(r.jitter IN $accepted_jitter, false) AS jittered
WHERE NOT backs_off OR NOT jittered
WITH r,
     CASE WHEN backs_off THEN []
          WHEN r.backoff = 'exponential' THEN ['an exponential backoff with multiplier 1']
          ELSE ['no exponential backoff (' + coalesce(r.backoff, 'unset') + ')'] END +
     CASE WHEN jittered THEN [] ELSE ['no jitter (' + coalesce(r.jitter, 'unset') + ')'] END
       AS problems
RETURN r.id AS element,
       [] AS related,
       'retry policy ' + r.id + ' has ' +
       reduce(s = head(problems), p IN tail(problems) | s + ' and ' + p) +
       ': clients that failed together retry together and keep the failing dependency ' +
       'overloaded' AS message,
       {backoff: r.backoff, jitter: r.jitter, multiplier: r.multiplier, problems: problems}
         AS details
ORDER BY element
