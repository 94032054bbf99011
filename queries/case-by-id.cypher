// purpose: one case with its status, assignee and current evidence
// parameters: case_id (string)
// basis: 案件 — an alert opens or joins the case of its rule and subject
MATCH (c:InvestigationCase {case_id: $case_id})
RETURN c.case_id AS case_id, c.restricted AS restricted, c.rule AS rule, c.title AS title, c.severity AS severity,
       c.subject_label AS subject_label, c.subject_key AS subject_key,
       c.subject_name AS subject_name, c.status AS status, c.assignee AS assignee,
       c.opened_at AS opened_at, c.updated_at AS updated_at, c.fingerprint AS fingerprint,
       c.evidence AS evidence, c.alerts AS alerts
