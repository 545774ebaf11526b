// Operations of contract versions (REST method and path, gRPC method, AsyncAPI operation):
// flows name the ones they use, so they are matched by id like every other kind.
CREATE CONSTRAINT operation_id IF NOT EXISTS
FOR (n:Operation) REQUIRE n.id IS UNIQUE;
