// id: SEC-08
// title: Sensitive field crossing a trust boundary without masking or encryption
// severity: error
// area: security
// tags: [data-protection, pci-dss, gdpr, hipaa, trust-boundary]
// rationale: >
//   Cardholder data, personal data and health data must be protected wherever they leave the
//   zone that is entitled to them: PCI DSS v4 requirement 3.4.1 (PAN masked, at most BIN and
//   last four digits) and 4.2.1 (strong cryptography for PAN in transit over open networks),
//   GDPR articles 25 and 32(1)(a) (protection by design, pseudonymisation and encryption), and
//   the HIPAA security rule (45 CFR 164.312(e), transmission security). Whether a field must
//   be masked is its classification's masking_required flag: true is checked, false is
//   respected whatever the category; a classification that leaves the flag unset falls back
//   to its category being one of sensitive_categories. A
//   flow carries the fields of the contract versions it uses (every version of its contract
//   when it names none); a flow that names operations carries only the fields of those
//   operations and of the version's own bodies. The field crosses a boundary when the flow's
//   systems are in different trust zones, or when the side receiving that field is a third
//   party (external: true): request, headers and message fields go to the target, response
//   and error fields come back to the source. A field that names the receiving system in its
//   clear_for (an email provider must read the address it sends to) needs no masking on that
//   flow. It is protected when the flow masks that field (any version, matched by operation,
//   part and path) with one of protecting_methods, or when the whole message is encrypted end
//   to end (transport_encryption: message). TLS alone does not count: it ends at every gateway
//   and broker on the way. No masking entry is the violation.
// remediation: >
//   Add a masking entry for the field on the flow (tokenised or encrypted for PAN, pseudonymised
//   or encrypted for personal data), or stop sending the field across the boundary.
// references:
//   - https://www.pcisecuritystandards.org/document_library/
//   - https://gdpr-info.eu/art-32-gdpr/
//   - https://gdpr-info.eu/art-25-gdpr/
//   - https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.312
// parameters:
//   sensitive_categories: [pci, pii, phi]
//   protecting_methods: [tokenised, hashed, encrypted, redacted, pseudonymised]
//   protecting_encryption: [message]
MATCH (cl:Classification)
WHERE coalesce(cl.masking_required, cl.category IN $sensitive_categories)
// From the few sensitive classifications (the anchor) to their fields and versions.
MATCH (cl)<-[:CLASSIFIED_AS]-(fld:Field)<-[:HAS_FIELD]-(v:ContractVersion)
// The flows carrying the version: those using it, and those naming only its contract.
CALL (v) {
  MATCH (f:Flow)-[:USES_VERSION]->(v)
  RETURN f
  UNION
  MATCH (f:Flow)-[:USES_CONTRACT]->(:Contract)-[:HAS_VERSION]->(v)
  WHERE NOT EXISTS { (f)-[:USES_VERSION]->() }
  RETURN f
}
// A flow naming operations carries only their fields and those of the version's own bodies.
WITH cl, fld, f
WHERE fld.operation IS NULL
   OR NOT EXISTS { (f)-[:USES_OPERATION]->(:Operation) }
   OR EXISTS { (f)-[:USES_OPERATION]->(:Operation {name: fld.operation}) }
MATCH (f)-[:FROM]->(s:System), (f)-[:TO]->(t:System)
WITH cl, fld, f, s, t,
     CASE WHEN fld.part IN ['request', 'headers', 'message'] THEN t ELSE s END AS receiver
WHERE (s.trust_zone <> t.trust_zone OR receiver.external = true)
  AND NOT EXISTS { (fld)-[:CLEAR_FOR]->(receiver) }
  AND NOT coalesce(f.transport_encryption, 'none') IN $protecting_encryption
  AND NOT EXISTS {
    MATCH (f)-[m:MASKS]->(masked:Field)
    WHERE masked.part = fld.part AND masked.path = fld.path
      AND coalesce(masked.operation, '') = coalesce(fld.operation, '')
      AND m.method IN $protecting_methods
  }
// Methods declared for the field that do not protect it (e.g. none), to show in the message.
WITH cl, fld, f, s, t, receiver,
     [(f)-[m:MASKS]->(masked:Field)
       WHERE masked.part = fld.part AND masked.path = fld.path
         AND coalesce(masked.operation, '') = coalesce(fld.operation, '') | m.method] AS methods
ORDER BY fld.id, cl.id
// One finding per flow and field ([operation/]part + path), whatever the number of versions
// carrying it.
WITH f, s, t, receiver, coalesce(fld.operation + '/', '') + fld.part + fld.path AS field,
     collect(DISTINCT fld.id) AS fields,
     collect(DISTINCT cl.id) AS classifications,
     collect(DISTINCT cl.category) AS categories,
     reduce(acc = [], ms IN collect(methods) | acc + [x IN ms WHERE NOT x IN acc]) AS methods
WITH f, s, t, receiver, field, fields, classifications, categories, methods,
     CASE
       WHEN s.trust_zone <> t.trust_zone AND receiver.external = true
         THEN 'across trust zones ' + s.trust_zone + ' -> ' + t.trust_zone +
           ' to third party ' + receiver.id
       WHEN s.trust_zone <> t.trust_zone
         THEN 'across trust zones ' + s.trust_zone + ' -> ' + t.trust_zone
       ELSE 'to third party ' + receiver.id
     END AS crossing
RETURN f.id AS element,
       fields AS related,
       'flow ' + f.id + ' (' + s.id + ' -> ' + t.id + ') carries ' +
       reduce(x = head(categories), c IN tail(categories) | x + '/' + c) + ' field ' + field +
       ' (' + reduce(x = head(classifications), c IN tail(classifications) | x + ', ' + c) +
       ') ' + crossing + ' ' +
       CASE
         WHEN size(methods) > 0
           THEN 'with masking ' + reduce(x = head(methods), m IN tail(methods) | x + ', ' + m)
         ELSE 'without masking, tokenisation, pseudonymisation or encryption'
       END AS message,
       {field: field, fields: fields, classifications: classifications,
        categories: categories, masking: methods, receiver: receiver.id,
        source_zone: s.trust_zone, target_zone: t.trust_zone,
        transport_encryption: f.transport_encryption} AS details
ORDER BY element, field
