// id: SEC-04
// title: Client credentials for a public client, or password grant
// severity: error
// area: security
// tags: [authentication, oauth]
// rationale: >
//   RFC 6749 section 4.4 allows the client credentials grant for confidential clients only: a
//   public client (public_client: true) or one that does not authenticate to the token
//   endpoint (client_auth: none) cannot keep a secret, so anyone can obtain its tokens. The
//   resource owner password credentials grant exposes a user's password to the client and
//   cannot be bound to the client; RFC 9700 section 2.4 says it MUST NOT be used.
// remediation: >
//   Use client credentials only for a confidential client authenticating with private_key_jwt
//   or tls_client_auth; replace the password grant with client credentials (service identity)
//   or, when acting for a user, the authorization code grant or token exchange (RFC 8693).
// references:
//   - https://www.rfc-editor.org/rfc/rfc6749#section-4.4
//   - https://www.rfc-editor.org/rfc/rfc9700#section-2.4
MATCH (c:Credential)
WITH c,
     (c.grant_type = 'client_credentials' OR c.kind = 'oauth2_client_credentials') AS client_creds
WITH c,
     [problem IN [
        CASE WHEN c.grant_type = 'password' THEN 'uses the password grant' END,
        CASE WHEN client_creds AND c.public_client = true
          THEN 'uses client credentials for a public client' END,
        CASE WHEN client_creds AND c.client_auth = 'none'
          THEN 'uses client credentials without client authentication (client_auth: none)' END
      ] WHERE problem IS NOT NULL] AS problems
WHERE size(problems) > 0
RETURN c.id AS element,
       [] AS related,
       'credential ' + c.id + ' ' + reduce(s = head(problems), p IN tail(problems) | s + ' and ' + p)
         AS message,
       {kind: c.kind, grant_type: c.grant_type, public_client: c.public_client,
        client_auth: c.client_auth, problems: problems} AS details
ORDER BY element
