// purpose: cases, optionally of one status and one assignee ('' for any; '-' for unassigned), most recently changed first
// parameters: status (string), assignee (string)
// basis: 案件 — investigators work their cases, supervisors assign and close them
MATCH (c:InvestigationCase)
WHERE ($status = '' OR c.status = $status)
  AND ($assignee = '' OR ($assignee = '-' AND c.assignee IS NULL) OR c.assignee = $assignee)
RETURN c.case_id AS case_id, c.restricted AS restricted, c.rule AS rule, c.severity AS severity, c.status AS status,
       c.assignee AS assignee, c.subject_label AS subject_label, c.subject_key AS subject_key,
       c.subject_name AS subject_name, c.alerts AS alerts, c.opened_at AS opened_at,
       c.updated_at AS updated_at
ORDER BY updated_at DESC, case_id
