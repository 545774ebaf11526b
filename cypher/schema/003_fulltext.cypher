// Full-text search over the names and descriptions of every element.
CREATE FULLTEXT INDEX element_text IF NOT EXISTS
FOR (e:Element) ON EACH [e.name, e.description, e.title];
