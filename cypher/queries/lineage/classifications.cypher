// The duties that come with classifications. Masking: the classification's own flag, else
// required for the sensitive categories (the same default as rule SEC-08).
UNWIND $ids AS cid
MATCH (c:Classification {id: cid})
RETURN c.id AS id, c.category AS category, coalesce(c.masking_required, c.category IN ['pci', 'pii', 'phi']) AS masking_required,
       coalesce(c.audit_required, false) AS audit_required,
       c.min_audit_retention_days AS min_audit_retention_days
