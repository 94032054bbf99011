// purpose: the cases of some alert rules with their current evidence (to record evidence that is all gone)
// parameters: rules (list of rule names)
// basis: 案件 — a case's history says when its evidence went away
MATCH (c:InvestigationCase)
WHERE c.rule IN $rules
RETURN c.case_id AS case_id, c.rule AS rule, c.subject_label AS subject_label,
       c.subject_key AS subject_key, c.subject_name AS subject_name, c.status AS status,
       c.fingerprint AS fingerprint, c.evidence AS evidence, c.alerts AS alerts,
       c.updated_at AS updated_at
ORDER BY case_id
