// One page of the elements of one kind, in id order, with the filters of the GraphQL lists:
// one row holding the list of their properties (cheaper to decode than a row each).
// $label is one of the fixed node labels (integraph.graph.NodeLabel), checked in Python;
// $equal maps property names taken from the fixed filter fields to the values asked for.
MATCH (n:$($label))
WHERE ($after IS NULL OR n.id > $after)
  AND ($blueprint IS NULL OR n.blueprint IN $blueprint)
  AND all(key IN keys($equal) WHERE n[key] = $equal[key])
  AND ($tag IS NULL OR $tag IN n.tags)
  AND ($team IS NULL OR EXISTS { (n)-[:OWNED_BY]->(:Team {id: $team}) }
       OR EXISTS { (n)-[:FROM|TO]->(:System)-[:OWNED_BY]->(:Team {id: $team}) })
  AND ($system IS NULL OR EXISTS { (n)-[:FROM|TO]->(:System {id: $system}) }
       OR EXISTS { (:System {id: $system})-[:HOLDS]->(n) })
  AND ($classification IS NULL
       OR EXISTS { (n)-[:USES_VERSION]->(:ContractVersion)-[:HAS_FIELD]->(:Field)
                   -[:CLASSIFIED_AS]->(:Classification {id: $classification}) }
       OR EXISTS { (n)-[:HAS_FIELD]->(:Field)-[:CLASSIFIED_AS]->(:Classification {id: $classification}) })
WITH n ORDER BY n.id LIMIT $first
RETURN collect(properties(n)) AS nodes
