// purpose: many cases at once, as case-by-id reads one (an alert run reads the cases of its hits)
// parameters: case_ids (list of case ids)
// basis: 案件 — an alert opens or joins the case of its rule and subject
MATCH (c:InvestigationCase)
WHERE c.case_id IN $case_ids
RETURN c.case_id AS case_id, c.restricted AS restricted, c.rule AS rule, c.title AS title, c.severity AS severity,
       c.subject_label AS subject_label, c.subject_key AS subject_key,
       c.subject_name AS subject_name, c.status AS status, c.assignee AS assignee,
       c.opened_at AS opened_at, c.updated_at AS updated_at, c.fingerprint AS fingerprint,
       c.evidence AS evidence, c.alerts AS alerts
