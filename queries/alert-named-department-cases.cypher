// purpose: the departments known only by the name decisions give them (no Department node to link to) that have a case of an alert rule
// parameters: rule (alert rule name)
// basis: 七天双公示 — a decision's department name may be corrected by a later load; the case under the old name must be asked again
MATCH (c:InvestigationCase)
WHERE c.rule = $rule AND c.subject_label = 'Department' AND c.subject_key STARTS WITH 'name:'
RETURN c.subject_key AS key
