// purpose: a case's history, oldest first: who did what when
// parameters: case_id (string)
// basis: 案件 — a full history of who changed what when
MATCH (e:CaseEvent)-[:EVENT_OF]->(c:InvestigationCase {case_id: $case_id})
RETURN e.event_id AS event_id, e.at AS at, e.actor AS actor, e.action AS action,
       e.detail AS detail
ORDER BY at, event_id
