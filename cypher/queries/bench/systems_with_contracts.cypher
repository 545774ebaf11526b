// Benchmark reference (benchmarks/bench_api.py): the first $first systems in id order with
// their outgoing flows, each flow's target and contract, the contract's versions and their
// fields, as one statement of nested map projections: what the GraphQL query
// `systems(first: N) { nodes { id name tier outgoingFlows { id pattern target { id }
// contract { id versions { version fields { path type required } } } } } } }` returns, in the
// same order (the API's loaders order by position, then id).
MATCH (s:System)
WITH s ORDER BY s.id LIMIT $first
RETURN s {
  .id, .name, .tier,
  outgoingFlows: COLLECT {
    MATCH (f:Flow)-[:FROM]->(s)
    WITH f ORDER BY f.id
    RETURN f {
      .id, .pattern,
      target: COLLECT { MATCH (f)-[:TO]->(t:System) RETURN t { .id } }[0],
      contract: COLLECT {
        MATCH (f)-[:USES_CONTRACT]->(c:Contract)
        RETURN c {
          .id,
          versions: COLLECT {
            MATCH (c)-[h:HAS_VERSION]->(v:ContractVersion)
            WITH v ORDER BY coalesce(h.position, v.position, 0), v.id
            RETURN v {
              .version,
              fields: COLLECT {
                MATCH (v)-[:HAS_FIELD]->(x:Field)
                WITH x ORDER BY coalesce(x.position, 0), x.id
                RETURN x { .path, .type, .required }
              }
            }
          }
        }
      }[0]
    }
  }
} AS system
