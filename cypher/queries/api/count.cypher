// How many elements of one kind match the filters of a GraphQL list (see list.cypher).
MATCH (n:$($label))
WHERE ($blueprint IS NULL OR n.blueprint IN $blueprint)
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
RETURN count(n) AS total
