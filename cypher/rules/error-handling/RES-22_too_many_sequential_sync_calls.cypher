// id: RES-22
// title: "Latency budget: too many sequential synchronous calls"
// severity: warning
// area: error-handling
// tags: [latency, synchronous, operations]
// rationale: >
//   A service that, to answer one request, calls its dependencies one after the other adds
//   up their latencies: eight sequential calls of 50 ms each cost 400 ms before any work of
//   its own, and the tail is worse, since the request is slow whenever any one of the calls is
//   (Dean and Barroso, The Tail at Scale, CACM 2013). The caller's timeout must then cover
//   the sum of its callees' timeouts, and its availability is the product of theirs.
//   Microsoft's microservices guidance warns against answering a request through many
//   synchronous calls, and AWS Well-Architected (REL05-BP01) treats each one as a hard
//   dependency. The rule counts, per operation of a contract version that is not retired
//   (a retired version is no longer served), the request_response flows among the calls it
//   declares when they are made one after the other (calls_in_parallel false, the default),
//   and reports an operation making more than max_sequential_calls of them (default 5). The message gives them in call order and, for
//   the calls that declare them, what their request timeouts add up to (from the timeout
//   policies reaching each flow, derived at load) and what their latency_p99_ms add up to.
// remediation: >
//   Make the independent calls in parallel (and declare calls_in_parallel), fetch what the
//   calls return in one batched call, cache or replicate the data the operation reads, or
//   move the steps that need not happen before the answer to events after it.
// references:
//   - https://research.google/pubs/the-tail-at-scale/
//   - https://learn.microsoft.com/en-us/dotnet/architecture/microservices/architect-microservice-container-applications/communication-in-microservice-architecture
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel05-bp01.html
// parameters:
//   max_sequential_calls: 5
MATCH (v:ContractVersion)-[:HAS_OPERATION]->(o:Operation)-[c:CALLS]->(f:Flow)
WHERE coalesce(v.status, 'active') <> 'retired' AND NOT coalesce(o.calls_in_parallel, false)
  AND f.pattern = 'request_response'
// The shortest request timeout reaching each flow (on it, or on a component it passes
// through) is derived at load (store/derived.py: FlowResilience.request_timeout_ms).
OPTIONAL MATCH (f)-[:HAS_RESILIENCE]->(x:FlowResilience)
WITH v, o, c, f, x.request_timeout_ms AS timeout
ORDER BY o.id, c.position
WITH v, o, collect({flow: f.id, timeout: timeout, p99: f.latency_p99_ms}) AS calls
WHERE size(calls) > $max_sequential_calls
WITH v, o, calls,
     [x IN calls WHERE x.timeout IS NOT NULL | x.timeout] AS timeouts,
     [x IN calls WHERE x.p99 IS NOT NULL | x.p99] AS latencies
WITH v, o, calls, size(timeouts) AS timeouts_known, size(latencies) AS latencies_known,
     CASE WHEN size(timeouts) > 0 THEN reduce(n = 0, t IN timeouts | n + t) END AS timeout_sum,
     CASE WHEN size(latencies) > 0 THEN reduce(n = 0.0, t IN latencies | n + t) END
       AS latency_sum
RETURN o.id AS element,
       [x IN calls | x.flow] AS related,
       'operation ' + o.name + ' of ' + v.id + ' makes ' + toString(size(calls)) +
       ' synchronous calls one after the other (more than ' +
       toString($max_sequential_calls) + '): ' +
       reduce(s = head(calls).flow, x IN tail(calls) | s + ', ' + x.flow) +
       CASE WHEN timeout_sum IS NULL THEN ''
            ELSE '; their request timeouts add up to ' + toString(timeout_sum) + ' ms (' +
                 toString(timeouts_known) + ' of ' + toString(size(calls)) + ' calls)' END +
       CASE WHEN latency_sum IS NULL THEN ''
            ELSE '; their p99 latencies add up to ' + toString(latency_sum) + ' ms (' +
                 toString(latencies_known) + ' of ' + toString(size(calls)) + ' calls)' END
         AS message,
       {count: size(calls), max_sequential_calls: $max_sequential_calls,
        flows: [x IN calls | x.flow], request_timeout_sum_ms: timeout_sum,
        request_timeouts_known: timeouts_known, latency_p99_sum_ms: latency_sum,
        latencies_known: latencies_known} AS details
ORDER BY element
