// Every waiver with what it applies to (the waived element is a WAIVES relationship) and
// the blueprint it belongs to: a waiver accepts findings of its own blueprint only.
MATCH (w:Waiver)
OPTIONAL MATCH (w)-[:WAIVES]->(target:Element)
RETURN w.id AS id, w.rule AS rule, target.id AS element, w.fingerprint AS fingerprint,
       w.expires AS expires, w.justification AS justification, w.blueprint AS blueprint,
       w.source_file AS file, w.source_line AS line
ORDER BY id
