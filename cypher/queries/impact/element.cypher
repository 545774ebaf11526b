// The element a change starts from: its kind and name, and the environments it is bound to
// (a component or credential: `BOUND_TO`; none: every environment), with whether each is a
// production one.
MATCH (e:Element {id: $id})
RETURN e.id AS id, [label IN labels(e) WHERE label <> 'Element'][0] AS kind,
       coalesce(e.name, e.title, e.id) AS name, e.kind AS subkind,
       [(e)-[:BOUND_TO]->(env:Environment) | [env.id, coalesce(env.production, false)]]
         AS environments
