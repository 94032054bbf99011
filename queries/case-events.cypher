// purpose: a case's history, oldest first
// parameters: case_id (string)
// basis: 案件 — who changed what when; read by the case number each event carries, so an event written by a run that died before linking it is still shown
MATCH (e:CaseEvent {case_id: $case_id})
RETURN e.event_id AS event_id, e.at AS at, e.actor AS actor, e.action AS action,
       e.detail AS detail
ORDER BY at, event_id
