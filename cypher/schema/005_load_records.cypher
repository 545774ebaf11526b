// One record of the last load per blueprint (files digest, counts): not an element.
CREATE CONSTRAINT load_record_blueprint IF NOT EXISTS
FOR (r:LoadRecord) REQUIRE r.blueprint IS UNIQUE;

CREATE INDEX load_record_digest IF NOT EXISTS
FOR (r:LoadRecord) ON (r.files_digest);
