// id: SEC-05
// title: Token too long-lived, unrestricted in audience or too broad in scope
// severity: warning
// area: security
// tags: [authentication, oauth, least-privilege]
// rationale: >
//   A stolen access token is usable until it expires, wherever it is accepted, for everything
//   its scopes allow. RFC 9700 (sections 2.3 and 4.10) asks for privilege-restricted tokens:
//   limited to the audience (resource servers) that need them and to the minimal scopes.
//   Wildcard or admin scopes break least privilege. No RFC fixes a lifetime, so the maximum is
//   a parameter (default 3600 s); an undeclared lifetime is not reported here because it
//   cannot be judged. A token credential (OAuth client credentials, JWT bearer) with no
//   audience IS reported: an unrestricted token is accepted by every resource server trusting
//   the issuer. RFC 6749 section 4.4.3 says a refresh token SHOULD NOT be issued with the client
//   credentials grant: the client can always get a new access token, and a refresh token only
//   adds a long-lived secret.
// remediation: >
//   Shorten token_lifetime_seconds, set the audience to the APIs the client calls, replace
//   wildcard or admin scopes by the specific scopes needed, and turn refresh tokens off for
//   client credentials.
// references:
//   - https://www.rfc-editor.org/rfc/rfc9700#section-2.3
//   - https://www.rfc-editor.org/rfc/rfc6749#section-4.4.3
//   - https://www.rfc-editor.org/rfc/rfc8707
// parameters:
//   max_token_lifetime_seconds: 3600
//   token_kinds: [oauth2_client_credentials, jwt_bearer]
//   broad_scope_pattern: '(?i).*\*.*|(.*[:./_-])?(admin|root|superuser|all)([:./_-].*)?'
MATCH (c:Credential)
WITH c,
     [scope IN coalesce(c.scopes, []) WHERE scope =~ $broad_scope_pattern] AS broad,
     (c.grant_type = 'client_credentials' OR c.kind = 'oauth2_client_credentials') AS client_creds
WITH c, broad,
     [problem IN [
        CASE WHEN c.token_lifetime_seconds > $max_token_lifetime_seconds
          THEN 'a token lifetime of ' + toString(c.token_lifetime_seconds) + ' s (over ' +
            toString($max_token_lifetime_seconds) + ' s)' END,
        CASE WHEN (c.kind IN $token_kinds OR c.grant_type IS NOT NULL)
            AND size(coalesce(c.audience, [])) = 0
          THEN 'no audience restriction' END,
        CASE WHEN size(broad) > 0
          THEN 'broad scope(s) ' + reduce(s = head(broad), x IN tail(broad) | s + ', ' + x) END,
        CASE WHEN client_creds AND c.refresh_token = true
          THEN 'a refresh token with client credentials' END
      ] WHERE problem IS NOT NULL] AS problems
WHERE size(problems) > 0
RETURN c.id AS element,
       [] AS related,
       'credential ' + c.id + ' (' + c.kind + ') has ' +
       reduce(s = head(problems), p IN tail(problems) | s + '; ' + p) AS message,
       {kind: c.kind, token_lifetime_seconds: c.token_lifetime_seconds,
        max_token_lifetime_seconds: $max_token_lifetime_seconds, audience: c.audience,
        broad_scopes: broad, refresh_token: c.refresh_token, problems: problems} AS details
ORDER BY element
