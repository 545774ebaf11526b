// id: SEC-16
// title: Non-production environment using a production resource or credential
// severity: error
// area: security
// tags: [environments, segregation, pci-dss, least-privilege]
// rationale: >
//   Pre-production environments change constantly and are less protected than production, so
//   PCI DSS v4 requirement 6.5.3 asks for pre-production to be separated from production with
//   enforced access controls (and 6.5.5 keeps live card numbers out of it); NIST SP 800-53
//   CM-4(1) asks for test environments separate enough that nothing in production reaches
//   them, least privilege (AC-6) gives a development client no access to production, and AWS
//   Well-Architected (SEC01-BP01) isolates production from development and test accounts.
//   Three cases are reported. A component or a
//   credential bound (its environments) both to a production environment (production: true)
//   and to a non-production one, such as one schema registry serving development, staging and
//   production: whoever can reach or read it in development reaches production, and a test
//   schema or a leaked development secret lands there. And a credential bound only to
//   non-production environments that authenticates to (towards) a component bound only to
//   production ones: a non-production client holding a way into production. And a system
//   whose endpoint in a non-production environment is its production address (the same url):
//   what is configured for development calls production. Elements bound to no environment
//   are not judged.
// remediation: >
//   Run one instance per environment (instance_of the logical component, each bound to its own
//   environments) and issue one credential per environment; bind each non-production
//   credential to the non-production instance it authenticates to; give each environment's
//   endpoint its own address.
// references:
//   - https://www.pcisecuritystandards.org/document_library/
//   - https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/sec01-bp01.html
CALL () {
  // 1. Components and credentials bound to production and non-production environments.
  MATCH (n:Component|Credential)-[:BOUND_TO]->(:Environment)
  WITH DISTINCT n
  WITH n,
       COLLECT {
         MATCH (n)-[:BOUND_TO]->(e:Environment)
         WHERE coalesce(e.production, false)
         RETURN e.id ORDER BY e.id
       } AS production,
       COLLECT {
         MATCH (n)-[:BOUND_TO]->(e:Environment)
         WHERE NOT coalesce(e.production, false)
         RETURN e.id ORDER BY e.id
       } AS other
  WHERE size(production) > 0 AND size(other) > 0
  WITH n, production, other, CASE WHEN n:Component THEN 'component' ELSE 'credential' END AS label
  RETURN n.id AS element,
         [] AS related,
         label + ' ' + n.id + ' serves production environment(s) ' +
         reduce(x = head(production), e IN tail(production) | x + ', ' + e) +
         ' and non-production environment(s) ' +
         reduce(x = head(other), e IN tail(other) | x + ', ' + e) +
         ': what reaches it from non-production reaches production' AS message,
         {kind: 'shared_environments', label: label, production: production,
          non_production: other} AS details
  UNION ALL
  // 2. Non-production credentials authenticating to production-only components.
  MATCH (c:Credential)-[:AUTHENTICATES_TO]->(t:Component)
  WHERE EXISTS { MATCH (c)-[:BOUND_TO]->(:Environment) }
    AND NOT EXISTS {
      MATCH (c)-[:BOUND_TO]->(e:Environment) WHERE coalesce(e.production, false)
    }
    AND EXISTS { MATCH (t)-[:BOUND_TO]->(:Environment) }
    AND NOT EXISTS {
      MATCH (t)-[:BOUND_TO]->(e:Environment) WHERE NOT coalesce(e.production, false)
    }
  WITH c, t,
       COLLECT { MATCH (c)-[:BOUND_TO]->(e:Environment) RETURN e.id ORDER BY e.id } AS other,
       COLLECT { MATCH (t)-[:BOUND_TO]->(e:Environment) RETURN e.id ORDER BY e.id }
         AS production
  RETURN c.id AS element,
         [t.id] AS related,
         'credential ' + c.id + ' is bound only to non-production environment(s) ' +
         reduce(x = head(other), e IN tail(other) | x + ', ' + e) +
         ' but authenticates to component ' + t.id + ', bound only to production ' +
         'environment(s) ' + reduce(x = head(production), e IN tail(production) | x + ', ' + e) +
         ': a non-production client holds a way into production' AS message,
         {kind: 'production_resource', component: t.id, production: production,
          non_production: other} AS details
  UNION ALL
  // 3. Endpoints of non-production environments at a production address.
  MATCH (s:System)-[p:HAS_ENDPOINT]->(prod:Environment {production: true})
  MATCH (s)-[:HAS_ENDPOINT {url: p.url}]->(other:Environment)
  WHERE NOT coalesce(other.production, false)
  WITH DISTINCT s, p.url AS url
  WITH s, url,
       COLLECT {
         MATCH (s)-[:HAS_ENDPOINT {url: url}]->(e:Environment {production: true})
         RETURN DISTINCT e.id AS id ORDER BY id
       } AS production,
       COLLECT {
         MATCH (s)-[:HAS_ENDPOINT {url: url}]->(e:Environment)
         WHERE NOT coalesce(e.production, false)
         RETURN DISTINCT e.id AS id ORDER BY id
       } AS other
  RETURN s.id AS element,
         [] AS related,
         'system ' + s.id + ' is reached at its production address ' + url +
         ' also in non-production environment(s) ' +
         reduce(x = head(other), e IN tail(other) | x + ', ' + e) + ' (production: ' +
         reduce(x = head(production), e IN tail(production) | x + ', ' + e) +
         '): what is configured there calls production' AS message,
         {kind: 'production_endpoint', url: url, production: production,
          non_production: other} AS details
}
RETURN element, related, message, details
ORDER BY element, details.kind, related
