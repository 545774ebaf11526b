// The contract versions whose content is to be written: new ones, and those dropped above.
MATCH (v:ContractVersion)
WHERE NOT EXISTS { (v)-[:HAS_CONTENT]->(:VersionContent) }
RETURN v.id AS id
ORDER BY id
