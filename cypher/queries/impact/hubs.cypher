// The systems with the most flows (both directions): the hubs of the landscape.
MATCH (s:System)
RETURN s.id AS id, COUNT { (s)<-[:FROM|TO]-(:Flow) } AS degree
ORDER BY degree DESC, id
LIMIT $limit
