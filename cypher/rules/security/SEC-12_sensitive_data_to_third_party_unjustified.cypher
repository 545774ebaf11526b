// id: SEC-12
// title: Sensitive data sent to an external party without a justification
// severity: warning
// area: security
// tags: [data-protection, inventory, owasp-api9, gdpr]
// rationale: >
//   OWASP API9 (improper inventory management) warns about sensitive data flowing to third
//   parties without visibility or justification; GDPR (articles 5(1)(c) data minimisation and
//   28 processors) and PCI DSS (requirement 12.8, third-party service providers) expect every
//   disclosure to a third party to have a recorded purpose. Data is sensitive when its
//   classification says masking_required or its category is one of sensitive_categories; it
//   goes to the third party when the receiving side of the field is external: true (the
//   target for request, headers and message fields, the source for response and error
//   fields). A flow that names operations sends only the fields of those operations and of
//   the version's own bodies.
//   Masking does not remove the need: pseudonymised data is still personal data (GDPR recital
//   26); only fields the flow withholds (withheld_methods, e.g. redacted) are not sent. The
//   flow is justified by a non-blank third_party_justification, or by an accepted decision
//   that governs it; neither is the violation.
// remediation: >
//   State why the third party needs the data in the flow's third_party_justification (or
//   record an accepted decision governing the flow), or stop sending the fields.
// references:
//   - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
//   - https://gdpr-info.eu/art-28-gdpr/
//   - https://gdpr-info.eu/art-5-gdpr/
// parameters:
//   sensitive_categories: [pci, pii, phi]
//   withheld_methods: [redacted]
MATCH (cl:Classification)
WHERE cl.masking_required = true OR cl.category IN $sensitive_categories
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
WITH cl, fld, f
WHERE trim(coalesce(f.third_party_justification, '')) = ''
  AND NOT EXISTS { MATCH (:Decision {status: 'accepted'})-[:GOVERNS]->(f) }
MATCH (f)-[:FROM]->(s:System), (f)-[:TO]->(t:System)
WITH cl, fld, f, s, t,
     CASE WHEN fld.part IN ['request', 'headers', 'message'] THEN t ELSE s END AS receiver
WHERE receiver.external = true
  AND NOT EXISTS {
    MATCH (f)-[m:MASKS]->(masked:Field)
    WHERE masked.part = fld.part AND masked.path = fld.path
      AND coalesce(masked.operation, '') = coalesce(fld.operation, '')
      AND m.method IN $withheld_methods
  }
WITH f, s, t, receiver, coalesce(fld.operation + '/', '') + fld.part + fld.path AS field, cl
ORDER BY receiver.id, field, cl.id
WITH f, s, t, collect(DISTINCT receiver.id) AS recipients, collect(DISTINCT field) AS fields,
     collect(DISTINCT cl.id) AS classifications
RETURN f.id AS element,
       [] AS related,
       'flow ' + f.id + ' (' + s.id + ' -> ' + t.id + ') sends sensitive fields ' +
       reduce(x = head(fields), y IN tail(fields) | x + ', ' + y) + ' (' +
       reduce(x = head(classifications), c IN tail(classifications) | x + ', ' + c) +
       ') to third party ' + reduce(x = head(recipients), r IN tail(recipients) | x + ', ' + r) +
       ' without a third_party_justification or an accepted decision' AS message,
       {recipients: recipients, fields: fields, classifications: classifications} AS details
ORDER BY element
