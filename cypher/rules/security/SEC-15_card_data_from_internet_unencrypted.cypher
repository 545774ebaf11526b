// id: SEC-15
// title: Card data entered by a person over an unencrypted channel from the internet
// severity: error
// area: security
// tags: [data-protection, encryption, pci-dss, actors]
// rationale: >
//   PCI DSS v4 requirement 4.2.1 asks for strong cryptography whenever the primary account
//   number travels over open, public networks, and the internet is the first of them; OWASP's
//   transport layer security guidance asks for TLS on every page and request of a site, not
//   only the login or payment form. Card data typed by a person into a browser or an app
//   crosses the internet before any of our controls see it. A flow from an actor (a system of
//   kind actor) whose channel is in open_channels to a system S is reported when it declares
//   no transport_encryption in accepted_encryption (none declared counts as unencrypted) and
//   card data reaches S from that actor. Either the flow's own contract carries a field
//   classified with a category in card_categories (read as SEC-09 reads a flow's fields: the
//   versions it uses, every version of its contract when it names none, only the fields of the
//   operations it names and of the version's own bodies), or lineage shows it: S passes card
//   data on (a flow on which S sends such a field to a system that is not an actor: a request
//   or message from S, or a response or error S returns) and no system that is not an actor
//   brings card data to S, so the card data S passes on can only have been entered by the
//   actor, even where the actor's flow names no contract.
// remediation: >
//   Serve the channel over TLS only (transport_encryption tls, with HSTS) and declare it on the
//   flow; better, keep card data off the channel altogether with a payment page or hosted
//   fields of the payment provider, so that only a token reaches S.
// references:
//   - https://www.pcisecuritystandards.org/document_library/
//   - https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html
//   - https://cheatsheetseries.owasp.org/cheatsheets/HTTP_Strict_Transport_Security_Cheat_Sheet.html
// parameters:
//   open_channels: [internet]
//   card_categories: [pci]
//   accepted_encryption: [tls, mtls, message]
MATCH (cl:Classification)
WHERE cl.category IN $card_categories
// 1. Every flow carrying card data, with the direction it carries it in. From the few card
// classifications (the anchor) to the versions holding their fields, then the flows.
MATCH (cl)<-[:CLASSIFIED_AS]-(fld:Field)<-[:HAS_FIELD]-(v:ContractVersion)
WITH DISTINCT cl, v, fld.operation AS operation, fld.part AS part
CALL (v) {
  MATCH (f:Flow)-[:USES_VERSION]->(v)
  RETURN f
  UNION
  MATCH (f:Flow)-[:USES_CONTRACT]->(:Contract)-[:HAS_VERSION]->(v)
  WHERE NOT EXISTS { (f)-[:USES_VERSION]->() }
  RETURN f
}
// A flow naming operations carries only their fields and those of the version's own bodies.
WITH f, cl, part
WHERE operation IS NULL
   OR NOT EXISTS { (f)-[:USES_OPERATION]->(:Operation) }
   OR EXISTS { (f)-[:USES_OPERATION]->(:Operation {name: operation}) }
WITH DISTINCT f, cl, part
ORDER BY cl.id
WITH f, collect(DISTINCT cl.id) AS classes, collect(DISTINCT part) AS parts
MATCH (src:System)<-[:FROM]-(f)-[:TO]->(dst:System)
// Data moves as the lineage has it: a request, message or headers from the flow's source to
// its target, a response or error back from the target.
WITH f, classes, src, dst,
     any(p IN parts WHERE NOT p IN ['response', 'error']) AS forward,
     any(p IN parts WHERE p IN ['response', 'error']) AS backward
ORDER BY f.id
WITH collect({flow: f, classes: classes, source: src, target: dst, forward: forward,
              backward: backward}) AS carriers
// 2. Unencrypted flows from actors on an open channel, and what reaches their target.
MATCH (a:System)<-[:FROM]-(f:Flow)-[:TO]->(s:System)
WHERE a.kind = 'actor' AND a.channel IN $open_channels
  AND NOT coalesce(f.transport_encryption, 'none') IN $accepted_encryption
WITH a, f, s,
     reduce(acc = [], c IN carriers | CASE WHEN c.flow = f THEN acc + c.classes ELSE acc END)
       AS own,
     // Flows on which s sends card data to a system that is not an actor.
     [c IN carriers
      WHERE (c.forward AND c.source = s AND coalesce(c.target.kind, 'service') <> 'actor')
         OR (c.backward AND c.target = s AND coalesce(c.source.kind, 'service') <> 'actor')
      | c.flow.id] AS onward,
     // Whether a system that is not an actor brings card data to s.
     any(c IN carriers
         WHERE (c.forward AND c.target = s AND coalesce(c.source.kind, 'service') <> 'actor')
            OR (c.backward AND c.source = s AND coalesce(c.target.kind, 'service') <> 'actor'))
       AS received
WHERE size(own) > 0 OR (size(onward) > 0 AND NOT received)
RETURN f.id AS element,
       [] AS related,
       'flow ' + f.id + ' (' + a.id + ' -> ' + s.id + ') carries card data entered by actor ' +
       a.id + ' over the ' + a.channel + ' ' +
       CASE
         WHEN f.transport_encryption IS NULL THEN 'without declared transport encryption'
         ELSE 'with transport_encryption ' + f.transport_encryption
       END + ': ' +
       CASE
         WHEN size(own) > 0
           THEN 'its contract carries ' + reduce(x = head(own), c IN tail(own) | x + ', ' + c) +
             CASE
               WHEN size(onward) > 0
                 THEN ', and ' + s.id + ' passes card data on over ' +
                   reduce(x = head(onward), o IN tail(onward) | x + ', ' + o)
               ELSE ''
             END
         ELSE s.id + ' passes card data on over ' +
           reduce(x = head(onward), o IN tail(onward) | x + ', ' + o) +
           ' and no other system brings it any'
       END AS message,
       {actor: a.id, actor_type: a.actor_type, channel: a.channel, system: s.id,
        transport_encryption: f.transport_encryption,
        evidence: CASE WHEN size(own) > 0 THEN 'contract' ELSE 'lineage' END,
        classifications: own, onward_flows: onward} AS details
ORDER BY element
