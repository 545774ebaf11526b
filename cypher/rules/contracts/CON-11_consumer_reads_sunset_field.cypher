// id: CON-11
// title: Consumer still on a deprecated field past its sunset
// severity: warning
// area: contracts
// tags: [contracts, versioning, lifecycle, deprecation, operations]
// rationale: >
//   A field's sunset date is the point after which its consumers must no longer read it: the
//   provider may stop filling it or drop it from the next version, and a consumer still
//   reading it then gets nothing or fails. The Sunset header (RFC 8594) and the Deprecation
//   header (RFC 9745) give that date for a whole resource; OpenAPI marks single properties
//   deprecated, and protobuf and Avro evolve by retiring fields that readers stopped using.
//   A flow is reported for each field that, as of today (or the as_of parameter, an ISO date),
//   is past its sunset in the contract version its consumer is built against
//   (consumer_version), in a part that consumer reads: for request_response the flow's source
//   reads the response, error and headers; for event, command, stream and batch flows the
//   flow's target reads the message and headers. A flow that names operations reads only the
//   fields of those operations and of the version's own bodies. Fields without a sunset, or
//   with a sunset still to come, are not reported (deprecated alone is a notice, not a
//   deadline).
// remediation: >
//   Move the consumer to the field that replaces it (replaced_by) and build it against a
//   version without the field, or, if it cannot move in time, agree a later sunset with the
//   provider and record why in a decision.
// references:
//   - https://www.rfc-editor.org/rfc/rfc8594
//   - https://www.rfc-editor.org/rfc/rfc9745
//   - https://spec.openapis.org/oas/v3.1.0#fixed-fields-19
//   - https://protobuf.dev/programming-guides/proto3/#deleting
// parameters:
//   as_of: null
MATCH (f:Flow)-[:USES_VERSION {role: 'consumer'}]->(v:ContractVersion)
WITH f, v, coalesce(date($as_of), date()) AS today,
     [(f)-[:USES_OPERATION]->(o:Operation) | o.name] AS operations,
     CASE f.pattern
       WHEN 'request_response' THEN ['response', 'error', 'headers']
       ELSE ['message', 'headers']
     END AS parts
MATCH (v)-[:HAS_FIELD]->(fld:Field)
WHERE fld.sunset IS NOT NULL AND date(fld.sunset) < today
  AND fld.part IN parts
  AND (size(operations) = 0 OR fld.operation IS NULL OR fld.operation IN operations)
MATCH (f)-[:FROM]->(s:System), (f)-[:TO]->(t:System)
WITH f, v, fld, today,
     CASE f.pattern WHEN 'request_response' THEN s ELSE t END AS consumer,
     coalesce(fld.operation + '/', '') + fld.part + fld.path AS field
RETURN f.id AS element,
       [fld.id] AS related,
       'flow ' + f.id + ': consumer ' + consumer.id + ' (on ' + v.id + ') still reads field ' +
       field + ', past its sunset ' + toString(date(fld.sunset)) +
       CASE WHEN fld.replaced_by IS NOT NULL
         THEN '; replaced by ' + fld.replaced_by ELSE '' END AS message,
       {field: field, version: v.id, operation: fld.operation, consumer: consumer.id,
        sunset: toString(date(fld.sunset)), deprecated_on: fld.deprecated_on,
        replaced_by: fld.replaced_by, as_of: toString(today)} AS details
ORDER BY element, related
