// id: ADR-01
// title: Significant choice without an accepted decision
// severity: warning
// area: decisions
// tags: [adr, governance]
// rationale: >
//   Architecturally significant choices need an accepted decision record giving their context,
//   options and consequences (Nygard; MADR; AWS ADR process: structure, dependencies, security,
//   interfaces and published contracts). This rule treats as significant, by kind: a waiver
//   (an accepted exception to a lint rule), a contract whose compatibility mode is in
//   compatibility_modes (NONE switches off every Schema Registry check), an integration
//   platform component whose kind is in platform_kinds (a broker, event bus, ESB or iPaaS that
//   others will depend on), a credential whose kind is in weak_credential_kinds (API keys and
//   basic auth are weak service authentication, OWASP API2; `none` is no authentication) and a
//   flow between an external or partner_zones system and one that is not (data leaving the
//   organisation, OWASP API9/API10). The choice is backed when a decision with status accepted
//   GOVERNS it (a waiver may instead be JUSTIFIED_BY it; a partner flow may instead be covered
//   by a decision governing its external or partner system). Absence is the violation: no
//   decision, or only proposed or rejected ones. A choice backed only by deprecated or
//   superseded decisions is left to ADR-02, which says which successor should take over. A
//   component that is an instance_of another (an environment's cluster of the logical broker)
//   is not a choice of its own: the logical component's decision covers it.
// remediation: >
//   Write a decision record (context, considered options, "We will ...", consequences), get it
//   accepted and list the element in its `governs` (for a waiver, name it in `decision`); or
//   undo the choice.
// references:
//   - https://docs.aws.amazon.com/prescriptive-guidance/latest/architectural-decision-records/adr-process.html
//   - https://cognitect.com/blog/2011/11/15/documenting-architecture-decisions
//   - https://adr.github.io/madr/
//   - https://docs.confluent.io/platform/current/schema-registry/fundamentals/schema-evolution.html
//   - https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
//   - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
// parameters:
//   compatibility_modes: [NONE]
//   platform_kinds: [broker, event_bus, esb, ipaas]
//   weak_credential_kinds: [api_key, basic, none]
//   partner_zones: [partner]
CALL () {
  // Each branch finds one kind of significant choice; labels differ, so an element has one kind.
  MATCH (w:Waiver)
  RETURN w AS choice, 'waiver' AS kind, null AS party,
         'waiver ' + w.id + ' of ' + w.rule AS what
  UNION ALL
  MATCH (c:Contract)
  WHERE c.compatibility IN $compatibility_modes
  RETURN c AS choice, 'compatibility' AS kind, null AS party,
         'contract ' + c.id + ' with compatibility ' + c.compatibility AS what
  UNION ALL
  MATCH (k:Component)
  // An environment's cluster (instance_of the logical broker) is the same choice again.
  WHERE k.kind IN $platform_kinds AND NOT EXISTS { (k)-[:INSTANCE_OF]->(:Component) }
  RETURN k AS choice, 'platform' AS kind, null AS party,
         k.kind + ' ' + k.id + coalesce(' (' + k.technology + ')', '') AS what
  UNION ALL
  MATCH (c:Credential)
  WHERE c.kind IN $weak_credential_kinds
  RETURN c AS choice, 'credential' AS kind, null AS party,
         c.kind + ' credential ' + c.id AS what
  UNION ALL
  // A flow leaving the organisation: exactly one end is external or in a partner zone.
  MATCH (src:System)<-[:FROM]-(f:Flow)-[:TO]->(dst:System)
  WITH f, src, dst,
       (src.external OR src.trust_zone IN $partner_zones) AS src_out,
       (dst.external OR dst.trust_zone IN $partner_zones) AS dst_out
  WHERE src_out <> dst_out
  WITH f, src, dst, CASE WHEN src_out THEN src ELSE dst END AS party
  RETURN f AS choice, 'partner_flow' AS kind, party,
         'flow ' + f.id + ' (' + src.id + ' -> ' + dst.id + ') with ' + party.trust_zone +
         CASE WHEN party.external THEN ' external' ELSE '' END + ' system ' + party.id AS what
}
// Every decision backing the choice (governing it, or justifying a waiver), oldest id first.
WITH choice, kind, party, what,
     COLLECT {
       MATCH (d:Decision)-[:GOVERNS|JUSTIFIED_BY]-(choice)
       RETURN DISTINCT d ORDER BY d.id
     } AS backing
WHERE none(d IN backing WHERE d.status = 'accepted')
  AND NOT (size(backing) > 0 AND all(d IN backing WHERE d.status IN ['deprecated', 'superseded']))
  AND (party IS NULL
       OR NOT EXISTS { MATCH (:Decision {status: 'accepted'})-[:GOVERNS]->(party) })
RETURN choice.id AS element,
       [] AS related,
       what + ' is a significant choice without an accepted decision' +
       CASE WHEN size(backing) = 0 THEN ': no decision governs it'
            ELSE ': only ' +
                 reduce(s = '', d IN backing |
                        s + CASE WHEN s = '' THEN '' ELSE ', ' END + d.id + ' (' + d.status + ')') +
                 ' back it'
       END AS message,
       {kind: kind, party: party.id,
        decisions: [d IN backing | d.id], statuses: [d IN backing | d.status]} AS details
ORDER BY element
