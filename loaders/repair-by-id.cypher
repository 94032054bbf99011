// purpose: repair decisions by number, with the record and subject each repairs (a repair reloaded must name the same)
// parameters: keys (list of repair_id)
// basis: 信用修复 — a repair decision repairs one record of one subject
UNWIND $keys AS key
MATCH (r:Repair {repair_id: key})
RETURN key, r.decision_date AS date, r.subject_key AS subject, '' AS list_kind,
       '' AS repair_id, r.target_label AS target_label, r.target_key AS target_key
