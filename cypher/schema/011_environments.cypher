// Environments a blueprint declares (development, staging, production): components and
// credentials are bound to them, and rules match them by id like every other kind.
CREATE CONSTRAINT environment_id IF NOT EXISTS
FOR (n:Environment) REQUIRE n.id IS UNIQUE;
