// id: CON-10
// title: Contract without an error response format
// severity: warning
// area: contracts
// tags: [contracts, error-handling, http]
// rationale: >
//   Clients handle failures by reading the error body; without a documented format each
//   endpoint invents its own, clients parse error text, and retries, alerts and support
//   cannot tell a validation error from an outage. RFC 9457 (Problem Details for HTTP APIs,
//   application/problem+json) gives a standard, machine-readable shape. Applies to contracts
//   serving request-response interactions: a contract used by a request_response flow, or
//   whose kind is in the kinds parameter. The latest version (last in `versions`) must
//   declare an `error_format` or list `error` fields; a contract with no version at all
//   documents no error format either and is reported. Contracts of a kind in exempt_kinds are
//   not checked: gRPC services (kind protobuf) have a standard error model, google.rpc.Status
//   (a status code, a message and typed details), which every gRPC client already reads.
// remediation: >
//   Give the latest version an `error_format` (e.g. media_type application/problem+json,
//   standard rfc9457) and/or its `error` fields, and return that shape from every operation.
// references:
//   - https://www.rfc-editor.org/rfc/rfc9457
//   - https://spec.openapis.org/oas/v3.1.0#responses-object
//   - https://google.aip.dev/193
//   - https://grpc.io/docs/guides/error/
// parameters:
//   kinds: [openapi]
//   exempt_kinds: [protobuf]
MATCH (c:Contract)
WHERE (c.kind IN $kinds
       OR EXISTS { MATCH (:Flow {pattern: 'request_response'})-[:USES_CONTRACT]->(c) })
  AND NOT c.kind IN $exempt_kinds
OPTIONAL MATCH (c)-[:HAS_VERSION]->(v:ContractVersion)
WITH c, v
ORDER BY v.position DESC
WITH c, head(collect(v)) AS latest
WHERE latest IS NULL
   OR (latest.error_format IS NULL
       AND NOT EXISTS { MATCH (latest)-[:HAS_FIELD]->(:Field {part: 'error'}) })
RETURN c.id AS element,
       [] AS related,
       c.kind + ' contract ' + c.id + CASE WHEN latest IS NULL
         THEN ' has no version, so no documented error response format'
         ELSE ' version ' + latest.version +
              ' documents no error response format (no error_format, no error fields)'
       END + ': clients cannot parse failures reliably' AS message,
       {kind: c.kind, latest_version: latest.version} AS details
ORDER BY element
