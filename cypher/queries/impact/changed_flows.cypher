// The flows a change to a non-system element touches directly, with the cause, for a field
// the part of the body it is in (request, response, message, error), and what the caps of the
// flow's dependencies are made of (integraph.impact.effects.hop_effect).
MATCH (e:Element {id: $id})
CALL (e) {
  // A component outage: flows passing through it or through a component that is part of it;
  // for an instance (a cluster per environment) those of the logical component it is an
  // instance of. A flow whose request passes is cut ('outage'); one whose reply alone passes
  // leaves its requester without replies ('reply').
  MATCH (e:Component)-[:INSTANCE_OF*0..1]->(:Component)<-[:PART_OF*0..2]-(:Component)
        <-[passes:VIA|REPLIES_VIA]-(f:Flow)
  WITH f, collect(DISTINCT type(passes)) AS passes
  RETURN f, CASE WHEN 'VIA' IN passes THEN 'outage' ELSE 'reply' END AS cause, null AS part
  UNION
  MATCH (f:Flow) WHERE f = e
  RETURN f, 'change' AS cause, null AS part
  UNION
  // A credential rotated or revoked: the flows it authenticates (the source's credential, or
  // the receiver's towards the components the flow passes).
  MATCH (e:Credential)-[:AUTHENTICATES|AUTHENTICATES_RECEIVER]->(f:Flow)
  RETURN DISTINCT f, 'credential' AS cause, null AS part
  UNION
  // A policy changed: the flows it applies to, directly or through a component.
  MATCH (e:Policy)-[:APPLIES_TO]->(target)
  MATCH (f:Flow) WHERE f = target OR (f)-[:VIA]->(target)
  RETURN DISTINCT f, 'policy' AS cause, null AS part
  UNION
  // A contract changed: every flow using it.
  MATCH (e:Contract)<-[:USES_CONTRACT]-(f:Flow)
  RETURN f, 'contract' AS cause, null AS part
  UNION
  MATCH (e:ContractVersion)<-[:USES_VERSION]-(f:Flow)
  RETURN DISTINCT f, 'contract' AS cause, null AS part
  UNION
  // A field changed: flows on a version that has the field, or has a field at the same path
  // and part in another version of the contract (consumers reading that field).
  MATCH (e:Field)<-[:HAS_FIELD]-(:ContractVersion)<-[:HAS_VERSION]-(c:Contract)
  MATCH (c)-[:HAS_VERSION]->(:ContractVersion)-[:HAS_FIELD]->(same:Field)
  WHERE same.path = e.path AND same.part = e.part
  MATCH (same)<-[:HAS_FIELD]-(:ContractVersion)<-[:USES_VERSION]-(f:Flow)
  RETURN DISTINCT f, 'contract' AS cause, e.part AS part
}
MATCH (f)-[:FROM]->(src:System), (f)-[:TO]->(dst:System)
RETURN DISTINCT f.id AS flow, f.pattern AS pattern, src.id AS source, dst.id AS target, cause, part,
       coalesce(f.required, true) AS required, coalesce(f.has_reply, false) AS has_reply,
       EXISTS { (:Policy {kind: 'dead_letter'})-[:APPLIES_TO]->(f) }
         OR EXISTS { (f)-[:VIA]->(:Component)<-[:APPLIES_TO]-(:Policy {kind: 'dead_letter'}) }
         AS dead_letter
ORDER BY flow
