// Every stored blueprint with the blueprints it uses.
MATCH (b:Blueprint)
RETURN b.id AS id, coalesce(b.uses, []) AS uses
ORDER BY id
