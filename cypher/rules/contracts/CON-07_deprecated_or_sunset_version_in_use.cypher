// id: CON-07
// title: Deprecated or sunset contract version still in use
// severity: warning
// area: contracts
// tags: [contracts, versioning, lifecycle, owasp-api9]
// rationale: >
//   A sunset date is the point after which a version must no longer be used (RFC 8594); a
//   deprecated version is still served but its users were told to move (RFC 9745). A flow
//   still on such a version breaks when the version is switched off, and keeps an old, less
//   maintained version exposed (OWASP API9: old API versions left running). A flow is reported
//   for each version it uses (as producer or consumer) that, as of today (or the as_of
//   parameter, an ISO date), is past its sunset, retired, has status deprecated, or has a
//   deprecated_on date that has come. Versions with none of these are not reported.
// remediation: >
//   Move the flow's side(s) to a supported version (update producer_version /
//   consumer_version once done), or, if the version must live on, move its sunset date and
//   record why in a decision.
// references:
//   - https://www.rfc-editor.org/rfc/rfc8594
//   - https://www.rfc-editor.org/rfc/rfc9745
//   - https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/
// parameters:
//   as_of: null
MATCH (f:Flow)-[u:USES_VERSION]->(v:ContractVersion)
WITH f, v, u.role AS role, coalesce(date($as_of), date()) AS today
ORDER BY role
WITH f, v, today, collect(role) AS roles
WITH f, v, today, roles,
     CASE WHEN v.sunset IS NOT NULL AND date(v.sunset) < today THEN date(v.sunset) END
       AS past_sunset,
     CASE WHEN v.deprecated_on IS NOT NULL AND date(v.deprecated_on) <= today
       THEN date(v.deprecated_on) END AS deprecated_since
WHERE past_sunset IS NOT NULL OR v.status IN ['deprecated', 'retired']
   OR deprecated_since IS NOT NULL
RETURN f.id AS element,
       [v.id] AS related,
       'flow ' + f.id + ' (' + reduce(s = head(roles), r IN tail(roles) | s + ' and ' + r) +
       ') is on contract version ' + v.id + ', which ' +
       CASE
         WHEN past_sunset IS NOT NULL
           THEN 'is past its sunset date ' + toString(past_sunset) + ' and must no longer be used'
         WHEN v.status = 'retired' THEN 'is retired'
         WHEN deprecated_since IS NOT NULL
           THEN 'is deprecated since ' + toString(deprecated_since)
         ELSE 'is deprecated'
       END +
       CASE WHEN past_sunset IS NULL AND v.sunset IS NOT NULL
         THEN ' (sunset on ' + v.sunset + ')' ELSE '' END AS message,
       {roles: roles, version: v.version, status: v.status, sunset: v.sunset,
        deprecated_on: v.deprecated_on, as_of: toString(today)} AS details
ORDER BY element, v.id
