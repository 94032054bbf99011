// purpose: the Person and Enterprise shareholders and actual controllers of overseas entities, on a date
// parameters: keys (list of entity_id), as_of (date)
// basis: 受益所有人 (2024 rules) — ownership is traced through overseas holding companies (境外主体) to the natural persons above them
// note: one branch per owner label, so both dialects read it
UNWIND $keys AS key
MATCH (o:Person)-[r:SHAREHOLDER_OF|ACTUAL_CONTROLLER_OF]->(e:OverseasEntity {entity_id: key})
WHERE (r.start_date IS NULL OR r.start_date <= $as_of)
  AND (r.end_date IS NULL OR r.end_date >= $as_of)
RETURN key, 'Person' AS label, o.pid AS owner, o.name AS name, r.ratio AS ratio,
       r.ratio IS NULL AS controls
UNION ALL
UNWIND $keys AS key
MATCH (o:Enterprise)-[r:SHAREHOLDER_OF|ACTUAL_CONTROLLER_OF]->(e:OverseasEntity {entity_id: key})
WHERE (r.start_date IS NULL OR r.start_date <= $as_of)
  AND (r.end_date IS NULL OR r.end_date >= $as_of)
RETURN key, 'Enterprise' AS label, o.uscc AS owner, o.name AS name, r.ratio AS ratio,
       r.ratio IS NULL AS controls
