// The named types of contract versions, by id (a JSON string per version, as loaded), for a
// proposed version that refers to another contract's types.
UNWIND $ids AS id
MATCH (v:ContractVersion {id: id})
RETURN v.id AS id, v.types AS types
