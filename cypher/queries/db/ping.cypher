// The server's identity, for `integraph db status` against any Neo4j.
CALL dbms.components() YIELD name, versions, edition
RETURN name, versions[0] AS version, edition
