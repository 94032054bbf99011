// purpose: a subject's open and in-progress cases (its credit file shows them to investigators)
// parameters: label (string), key (string)
// basis: 案件 — a subject's credit file shows its open cases
MATCH (c:InvestigationCase)
WHERE c.subject_label = $label AND c.subject_key = $key
  AND c.status IN ['open', 'in_progress']
RETURN c.case_id AS case_id, c.restricted AS restricted, c.rule AS rule, c.title AS title, c.status AS status,
       c.assignee AS assignee, c.updated_at AS updated_at
ORDER BY updated_at DESC, case_id
