// id: RES-12
// title: Synchronous call chain deeper than the limit
// severity: warning
// area: error-handling
// tags: [synchronous, coupling, latency]
// rationale: >
//   In a chain of synchronous calls every caller waits for everything below it: latencies add
//   up, availabilities multiply (five 99.9 % services in a row give 99.5 %), timeouts must
//   shrink at every level and one slow service stalls all of its callers. Microsoft's
//   microservices guidance strongly advises against long chains of synchronous calls between
//   services, and AWS Well-Architected (REL05-BP01) treats each one as a hard dependency. A
//   chain is a sequence of request_response flows where each flow's source is the previous
//   flow's target, visiting no system twice (a loop is RES-13); after a flow that names
//   operations of its contract the chain goes on only through the flows those operations
//   declare in their calls (none: it ends there), after one naming none through every
//   synchronous flow leaving its target. It is reported once, at the
//   flow where it enters the landscape: a flow whose source is not itself called
//   synchronously (a UI, a scheduler, an event consumer). A chain starts at the first
//   service: a flow from an actor (a shopper's browser, a partner's user) is the request the
//   chain serves, not a call between services, so it is not counted and does not make its
//   target a callee (declaring the actor in front of a UI changes nothing here); data stores
//   are ordinary callees. The message shows one such chain,
//   the first in order of flow ids. max_depth is the longest chain accepted (default 3, at most
//   6); chains that start only inside a cycle appear here once the cycle is broken.
// remediation: >
//   Shorten the chain: let a downstream step react to an event instead of being called, cache
//   or replicate the data the caller needs, or have the entry system orchestrate the calls
//   itself rather than nesting them.
// references:
//   - https://learn.microsoft.com/en-us/dotnet/architecture/microservices/implement-resilient-applications/partial-failure-strategies
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel05-bp01.html
//   - https://sre.google/sre-book/addressing-cascading-failures/
// parameters:
//   max_depth: 3
CALL () {
  // The flows naming operations (`scoped`) and the calls their operations declare, as
  // 'caller>callee' pairs of flow ids: after a scoped flow a chain goes on only by a pair.
  OPTIONAL MATCH (p:Flow)-[:USES_OPERATION]->(:Operation)
  WITH DISTINCT p
  OPTIONAL MATCH (p)-[:USES_OPERATION]->(:Operation)-[:CALLS]->(q:Flow)
  RETURN [id IN collect(DISTINCT p.id) WHERE id IS NOT NULL] AS scoped,
         [pair IN collect(DISTINCT p.id + '>' + q.id) WHERE pair IS NOT NULL] AS calls
}
MATCH (a:System)<-[:FROM]-(f:Flow {pattern: 'request_response'})-[:TO]->(b:System)
// An entry flow: its source (not an actor) makes synchronous calls but receives none, but
// from actors...
WHERE a <> b
  AND coalesce(a.kind, 'service') <> 'actor'
  AND NOT EXISTS {
        MATCH (a)<-[:TO]-(:Flow {pattern: 'request_response'})-[:FROM]->(caller:System)
        WHERE coalesce(caller.kind, 'service') <> 'actor'
      }
  // ...that starts a chain of more than max_depth flows (the bound 6 caps max_depth).
  AND EXISTS {
        MATCH (b)((:System)<-[:FROM]-(x:Flow)-[:TO]->(t:System)
                  WHERE x.pattern = 'request_response'){1,6}
        WHERE size(x) = $max_depth
          AND none(s IN t WHERE s = a OR s = b)
          AND all(i IN range(0, size(t) - 2) WHERE NOT t[i] IN t[i + 1..])
          // Each call follows the one before it (through its operations' calls).
          AND (NOT f.id IN scoped OR f.id + '>' + x[0].id IN calls)
          AND all(i IN range(0, size(x) - 2)
                  WHERE NOT x[i].id IN scoped OR x[i].id + '>' + x[i + 1].id IN calls)
      }
WITH f, b AS here, [f.id] AS chain, [a.id, b.id] AS visited, scoped, calls
// The example chain, built one call at a time: the smallest flow id that can still go deep
// enough without revisiting a system (so the first such chain in id order). The same step is
// written out six times, the most max_depth allows; steps past max_depth pass the chain on.
CALL (here, chain, visited, scoped, calls) {
  WITH here, chain, visited, scoped, calls
  WHERE size(chain) <= $max_depth
  MATCH (here)<-[:FROM]-(g:Flow {pattern: 'request_response'})
        -[:TO]->(next:System)
  WHERE NOT next.id IN visited
    AND (NOT last(chain) IN scoped OR last(chain) + '>' + g.id IN calls)
  // Sorted first, so the (costly) look-ahead runs only until one candidate passes.
  WITH chain, visited, g, next, scoped, calls
  ORDER BY g.id
  WHERE $max_depth = size(chain) OR EXISTS {
          MATCH (next)((:System)<-[:FROM]-(x:Flow)-[:TO]->(t:System)
                       WHERE x.pattern = 'request_response'){1,6}
          WHERE size(x) = $max_depth - size(chain)
            AND none(s IN t WHERE s.id IN visited OR s = next)
            AND all(i IN range(0, size(t) - 2) WHERE NOT t[i] IN t[i + 1..])
            AND (NOT g.id IN scoped OR g.id + '>' + x[0].id IN calls)
            AND all(i IN range(0, size(x) - 2)
                    WHERE NOT x[i].id IN scoped OR x[i].id + '>' + x[i + 1].id IN calls)
        }
  LIMIT 1
  RETURN next AS there, chain + g.id AS longer, visited + next.id AS seen
  UNION
  WITH here, chain, visited, scoped, calls
  WHERE size(chain) > $max_depth
  RETURN here AS there, chain AS longer, visited AS seen
}
WITH f, there AS here, longer AS chain, seen AS visited, scoped, calls
CALL (here, chain, visited, scoped, calls) {
  WITH here, chain, visited, scoped, calls
  WHERE size(chain) <= $max_depth
  MATCH (here)<-[:FROM]-(g:Flow {pattern: 'request_response'})
        -[:TO]->(next:System)
  WHERE NOT next.id IN visited
    AND (NOT last(chain) IN scoped OR last(chain) + '>' + g.id IN calls)
  // Sorted first, so the (costly) look-ahead runs only until one candidate passes.
  WITH chain, visited, g, next, scoped, calls
  ORDER BY g.id
  WHERE $max_depth = size(chain) OR EXISTS {
          MATCH (next)((:System)<-[:FROM]-(x:Flow)-[:TO]->(t:System)
                       WHERE x.pattern = 'request_response'){1,6}
          WHERE size(x) = $max_depth - size(chain)
            AND none(s IN t WHERE s.id IN visited OR s = next)
            AND all(i IN range(0, size(t) - 2) WHERE NOT t[i] IN t[i + 1..])
            AND (NOT g.id IN scoped OR g.id + '>' + x[0].id IN calls)
            AND all(i IN range(0, size(x) - 2)
                    WHERE NOT x[i].id IN scoped OR x[i].id + '>' + x[i + 1].id IN calls)
        }
  LIMIT 1
  RETURN next AS there, chain + g.id AS longer, visited + next.id AS seen
  UNION
  WITH here, chain, visited, scoped, calls
  WHERE size(chain) > $max_depth
  RETURN here AS there, chain AS longer, visited AS seen
}
WITH f, there AS here, longer AS chain, seen AS visited, scoped, calls
CALL (here, chain, visited, scoped, calls) {
  WITH here, chain, visited, scoped, calls
  WHERE size(chain) <= $max_depth
  MATCH (here)<-[:FROM]-(g:Flow {pattern: 'request_response'})
        -[:TO]->(next:System)
  WHERE NOT next.id IN visited
    AND (NOT last(chain) IN scoped OR last(chain) + '>' + g.id IN calls)
  // Sorted first, so the (costly) look-ahead runs only until one candidate passes.
  WITH chain, visited, g, next, scoped, calls
  ORDER BY g.id
  WHERE $max_depth = size(chain) OR EXISTS {
          MATCH (next)((:System)<-[:FROM]-(x:Flow)-[:TO]->(t:System)
                       WHERE x.pattern = 'request_response'){1,6}
          WHERE size(x) = $max_depth - size(chain)
            AND none(s IN t WHERE s.id IN visited OR s = next)
            AND all(i IN range(0, size(t) - 2) WHERE NOT t[i] IN t[i + 1..])
            AND (NOT g.id IN scoped OR g.id + '>' + x[0].id IN calls)
            AND all(i IN range(0, size(x) - 2)
                    WHERE NOT x[i].id IN scoped OR x[i].id + '>' + x[i + 1].id IN calls)
        }
  LIMIT 1
  RETURN next AS there, chain + g.id AS longer, visited + next.id AS seen
  UNION
  WITH here, chain, visited, scoped, calls
  WHERE size(chain) > $max_depth
  RETURN here AS there, chain AS longer, visited AS seen
}
WITH f, there AS here, longer AS chain, seen AS visited, scoped, calls
CALL (here, chain, visited, scoped, calls) {
  WITH here, chain, visited, scoped, calls
  WHERE size(chain) <= $max_depth
  MATCH (here)<-[:FROM]-(g:Flow {pattern: 'request_response'})
        -[:TO]->(next:System)
  WHERE NOT next.id IN visited
    AND (NOT last(chain) IN scoped OR last(chain) + '>' + g.id IN calls)
  // Sorted first, so the (costly) look-ahead runs only until one candidate passes.
  WITH chain, visited, g, next, scoped, calls
  ORDER BY g.id
  WHERE $max_depth = size(chain) OR EXISTS {
          MATCH (next)((:System)<-[:FROM]-(x:Flow)-[:TO]->(t:System)
                       WHERE x.pattern = 'request_response'){1,6}
          WHERE size(x) = $max_depth - size(chain)
            AND none(s IN t WHERE s.id IN visited OR s = next)
            AND all(i IN range(0, size(t) - 2) WHERE NOT t[i] IN t[i + 1..])
            AND (NOT g.id IN scoped OR g.id + '>' + x[0].id IN calls)
            AND all(i IN range(0, size(x) - 2)
                    WHERE NOT x[i].id IN scoped OR x[i].id + '>' + x[i + 1].id IN calls)
        }
  LIMIT 1
  RETURN next AS there, chain + g.id AS longer, visited + next.id AS seen
  UNION
  WITH here, chain, visited, scoped, calls
  WHERE size(chain) > $max_depth
  RETURN here AS there, chain AS longer, visited AS seen
}
WITH f, there AS here, longer AS chain, seen AS visited, scoped, calls
CALL (here, chain, visited, scoped, calls) {
  WITH here, chain, visited, scoped, calls
  WHERE size(chain) <= $max_depth
  MATCH (here)<-[:FROM]-(g:Flow {pattern: 'request_response'})
        -[:TO]->(next:System)
  WHERE NOT next.id IN visited
    AND (NOT last(chain) IN scoped OR last(chain) + '>' + g.id IN calls)
  // Sorted first, so the (costly) look-ahead runs only until one candidate passes.
  WITH chain, visited, g, next, scoped, calls
  ORDER BY g.id
  WHERE $max_depth = size(chain) OR EXISTS {
          MATCH (next)((:System)<-[:FROM]-(x:Flow)-[:TO]->(t:System)
                       WHERE x.pattern = 'request_response'){1,6}
          WHERE size(x) = $max_depth - size(chain)
            AND none(s IN t WHERE s.id IN visited OR s = next)
            AND all(i IN range(0, size(t) - 2) WHERE NOT t[i] IN t[i + 1..])
            AND (NOT g.id IN scoped OR g.id + '>' + x[0].id IN calls)
            AND all(i IN range(0, size(x) - 2)
                    WHERE NOT x[i].id IN scoped OR x[i].id + '>' + x[i + 1].id IN calls)
        }
  LIMIT 1
  RETURN next AS there, chain + g.id AS longer, visited + next.id AS seen
  UNION
  WITH here, chain, visited, scoped, calls
  WHERE size(chain) > $max_depth
  RETURN here AS there, chain AS longer, visited AS seen
}
WITH f, there AS here, longer AS chain, seen AS visited, scoped, calls
CALL (here, chain, visited, scoped, calls) {
  WITH here, chain, visited, scoped, calls
  WHERE size(chain) <= $max_depth
  MATCH (here)<-[:FROM]-(g:Flow {pattern: 'request_response'})
        -[:TO]->(next:System)
  WHERE NOT next.id IN visited
    AND (NOT last(chain) IN scoped OR last(chain) + '>' + g.id IN calls)
  // Sorted first, so the (costly) look-ahead runs only until one candidate passes.
  WITH chain, visited, g, next, scoped, calls
  ORDER BY g.id
  WHERE $max_depth = size(chain) OR EXISTS {
          MATCH (next)((:System)<-[:FROM]-(x:Flow)-[:TO]->(t:System)
                       WHERE x.pattern = 'request_response'){1,6}
          WHERE size(x) = $max_depth - size(chain)
            AND none(s IN t WHERE s.id IN visited OR s = next)
            AND all(i IN range(0, size(t) - 2) WHERE NOT t[i] IN t[i + 1..])
            AND (NOT g.id IN scoped OR g.id + '>' + x[0].id IN calls)
            AND all(i IN range(0, size(x) - 2)
                    WHERE NOT x[i].id IN scoped OR x[i].id + '>' + x[i + 1].id IN calls)
        }
  LIMIT 1
  RETURN next AS there, chain + g.id AS longer, visited + next.id AS seen
  UNION
  WITH here, chain, visited, scoped, calls
  WHERE size(chain) > $max_depth
  RETURN here AS there, chain AS longer, visited AS seen
}
WITH f, there AS here, longer AS chain, seen AS visited
MATCH (f)-[:FROM]->(a:System), (f)-[:TO]->(b:System)
RETURN f.id AS element,
       [] AS related,
       'synchronous chain deeper than ' + toString($max_depth) + ' calls starts at flow ' +
       f.id + ' (' + a.id + ' -> ' + b.id + '): ' +
       reduce(s = head(visited), v IN tail(visited) | s + ' -> ' + v) AS message,
       {max_depth: $max_depth, chain: chain, systems: visited} AS details
ORDER BY element
