// The token of the last committed write (null before the first one).
OPTIONAL MATCH (v:GraphVersion {id: 'graph'})
RETURN v.token AS token
