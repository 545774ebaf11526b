// id: SEC-09
// title: Regulated data over a channel without transport encryption
// severity: error
// area: security
// tags: [data-protection, encryption, pci-dss, hipaa, gdpr]
// rationale: >
//   Regulated data must be encrypted in transit: PCI DSS v4 requirement 4.2.1 (strong
//   cryptography for PAN transmitted over open, public networks), the HIPAA security rule
//   (45 CFR 164.312(e)(1), transmission security) and GDPR article 32(1)(a). Inside a data
//   centre the network is no longer assumed trusted either (zero trust), so the rule applies
//   to every flow, whatever the zones. Data is regulated when a field of a contract version the
//   flow uses (every version of its contract when it names none; only the fields of the
//   operations it names and of the version's own bodies when it names operations) is
//   classified with a non-empty regulations list. A flow that declares no transport_encryption is treated as
//   unencrypted and reported, as is one declaring none.
// remediation: >
//   Encrypt the channel (transport_encryption tls or mtls, or message-level encryption) and
//   declare it on the flow.
// references:
//   - https://www.pcisecuritystandards.org/document_library/
//   - https://www.ecfr.gov/current/title-45/subtitle-A/subchapter-C/part-164/subpart-C/section-164.312
//   - https://gdpr-info.eu/art-32-gdpr/
//   - https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html
// parameters:
//   accepted_encryption: [tls, mtls, message]
MATCH (cl:Classification)
WHERE size(coalesce(cl.regulations, [])) > 0
// From the few regulated classifications (the anchor) to the versions holding their fields.
MATCH (cl)<-[:CLASSIFIED_AS]-(fld:Field)<-[:HAS_FIELD]-(v:ContractVersion)
WITH DISTINCT cl, v, fld.operation AS operation
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
WITH f, cl, operation
WHERE operation IS NULL
   OR NOT EXISTS { (f)-[:USES_OPERATION]->(:Operation) }
   OR EXISTS { (f)-[:USES_OPERATION]->(:Operation {name: operation}) }
WITH DISTINCT f, cl
WHERE NOT coalesce(f.transport_encryption, 'none') IN $accepted_encryption
MATCH (f)-[:FROM]->(s:System), (f)-[:TO]->(t:System)
WITH f, s, t, cl
ORDER BY cl.id
WITH f, s, t, collect(cl.id) AS classifications,
     reduce(acc = [], regs IN collect(cl.regulations) | acc + [r IN regs WHERE NOT r IN acc])
       AS regulations
RETURN f.id AS element,
       [] AS related,
       'flow ' + f.id + ' (' + s.id + ' -> ' + t.id + ') carries regulated data (' +
       reduce(x = head(regulations), r IN tail(regulations) | x + ', ' + r) + ': ' +
       reduce(x = head(classifications), c IN tail(classifications) | x + ', ' + c) +
       ') ' +
       CASE
         WHEN f.transport_encryption IS NULL THEN 'without declared transport encryption'
         ELSE 'with transport_encryption ' + f.transport_encryption
       END AS message,
       {transport_encryption: f.transport_encryption, classifications: classifications,
        regulations: regulations, source: s.id, target: t.id} AS details
ORDER BY element
