// The duties that come with classifications.
UNWIND $ids AS cid
MATCH (c:Classification {id: cid})
RETURN c.id AS id, c.category AS category, coalesce(c.masking_required, false) AS masking_required,
       coalesce(c.audit_required, false) AS audit_required,
       c.min_audit_retention_days AS min_audit_retention_days
