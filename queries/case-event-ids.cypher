// purpose: the events of some cases, by the case number each carries (to link those a run that died left unlinked)
// parameters: case_ids (list of case ids)
// basis: 案件 — an alert run is completed by the next one
MATCH (e:CaseEvent)
WHERE e.case_id IN $case_ids
RETURN e.event_id AS event_id, e.case_id AS case_id
