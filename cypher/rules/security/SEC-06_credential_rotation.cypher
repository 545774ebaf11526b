// id: SEC-06
// title: Credential not rotated, or rotated less often than its cryptoperiod
// severity: warning
// area: security
// tags: [authentication, key-management, owasp-api2]
// rationale: >
//   The longer a secret lives, the more of it leaks and the longer a leak is exploitable; OWASP
//   API2 names long-lived, unrotated keys as broken authentication. NIST SP 800-57 part 1
//   (section 5.3.6, table 1) recommends cryptoperiods of at most about 2 years for symmetric
//   authentication keys (API keys, passwords, client secrets) and 1 to 2 years for private
//   authentication keys (mTLS certificates, private_key_jwt and JWT bearer signing keys). A
//   credential without rotation_days is treated as never rotated and reported. Credentials of
//   kind none hold no secret and are left to SEC-07.
// remediation: >
//   Set rotation_days on the credential to the period actually enforced by the secret store or
//   CA, at or below the cryptoperiod for its key type, and automate the rotation.
// references:
//   - https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final
//   - https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/
//   - https://cheatsheetseries.owasp.org/cheatsheets/Key_Management_Cheat_Sheet.html
// parameters:
//   max_symmetric_rotation_days: 730
//   max_private_key_rotation_days: 730
//   private_key_kinds: [mtls, jwt_bearer]
//   private_key_client_auth: [private_key_jwt, tls_client_auth, self_signed_tls_client_auth]
MATCH (c:Credential)
WHERE c.kind <> 'none'
// The key type decides the cryptoperiod: an OAuth client authenticating with a private key
// or certificate holds a private key, otherwise it holds a shared (symmetric) secret.
WITH c,
     CASE
       WHEN c.kind IN $private_key_kinds OR c.client_auth IN $private_key_client_auth
         THEN 'private_key'
       ELSE 'symmetric'
     END AS key_type
WITH c, key_type,
     CASE key_type
       WHEN 'private_key' THEN $max_private_key_rotation_days
       ELSE $max_symmetric_rotation_days
     END AS max_days
WHERE c.rotation_days IS NULL OR c.rotation_days > max_days
RETURN c.id AS element,
       [] AS related,
       'credential ' + c.id + ' (' + c.kind + ', ' + replace(key_type, '_', ' ') + ') ' +
       CASE
         WHEN c.rotation_days IS NULL
           THEN 'has no rotation period (never rotated); its cryptoperiod is ' +
             toString(max_days) + ' days'
         ELSE 'is rotated every ' + toString(c.rotation_days) + ' days, above its ' +
           toString(max_days) + '-day cryptoperiod'
       END AS message,
       {kind: c.kind, key_type: key_type, rotation_days: c.rotation_days,
        max_rotation_days: max_days} AS details
ORDER BY element
