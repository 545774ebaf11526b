// id: CON-06
// title: Open JSON content model under BACKWARD or FULL
// severity: warning
// area: contracts
// tags: [contracts, compatibility, json-schema]
// rationale: >
//   In an open JSON content model (additionalProperties absent or true) old data may already
//   carry any undeclared property, of any type; so under BACKWARD or FULL (and their transitive
//   variants) adding even an optional property is not provably compatible, and Schema Registry
//   rejects it: the contract can never grow. A partially open model (patternProperties, or a
//   schema-valued additionalProperties) allows adding optional properties in every mode; a
//   closed one allows it under BACKWARD. Applies to contracts whose kind carries JSON
//   (parameter json_kinds). A contract that declares no content model is open, JSON Schema's
//   default when additionalProperties is absent, and is reported too.
// remediation: >
//   Declare the content model: partially_open (e.g. `additionalProperties` constrained to a
//   schema, or `patternProperties` for extension fields) so optional fields can be added, or
//   closed if old readers are upgraded first; or choose FORWARD if that matches the upgrade
//   order.
// references:
//   - https://yokota.blog/2021/03/29/understanding-json-schema-compatibility/
//   - https://docs.confluent.io/platform/current/schema-registry/fundamentals/schema-evolution.html
//   - https://json-schema.org/understanding-json-schema/reference/object#additionalproperties
// parameters:
//   json_kinds: [json_schema, openapi, asyncapi]
MATCH (c:Contract)
WHERE c.kind IN $json_kinds
  AND (c.compatibility STARTS WITH 'BACKWARD' OR c.compatibility STARTS WITH 'FULL')
  AND coalesce(c.content_model, 'open') = 'open'
RETURN c.id AS element,
       [] AS related,
       c.kind + ' contract ' + c.id + ' is ' + c.compatibility + ' with ' +
       CASE WHEN c.content_model IS NULL
         THEN 'no declared content model, so an open one (JSON Schema\'s default)'
         ELSE 'an open content model'
       END + ': no property can ever be added compatibly, since old data may already carry it '
       + 'with another type' AS message,
       {kind: c.kind, mode: c.compatibility, content_model: c.content_model} AS details
ORDER BY element
