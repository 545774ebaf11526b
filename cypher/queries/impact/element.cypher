// The element a change starts from: its kind and name.
MATCH (e:Element {id: $id})
RETURN e.id AS id, [label IN labels(e) WHERE label <> 'Element'][0] AS kind,
       coalesce(e.name, e.title, e.id) AS name, e.kind AS subkind
