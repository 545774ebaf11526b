// Every blueprint element carries the label Element and an author-chosen id, unique across
// all kinds, so impact analysis and lint findings can name any element by id alone.
CREATE CONSTRAINT element_id IF NOT EXISTS
FOR (e:Element) REQUIRE e.id IS UNIQUE;

CREATE INDEX element_blueprint IF NOT EXISTS
FOR (e:Element) ON (e.blueprint);
