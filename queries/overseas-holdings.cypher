// purpose: the OverseasEntity shareholders and actual controllers of enterprises, on a date
// parameters: keys (list of uscc), as_of (date)
// basis: 受益所有人 (2024 rules) — 25% or more held directly or through chains, overseas holding companies (境外主体) included, or actual control
UNWIND $keys AS key
MATCH (o:OverseasEntity)-[r:SHAREHOLDER_OF|ACTUAL_CONTROLLER_OF]->(e:Enterprise {uscc: key})
WHERE (r.start_date IS NULL OR r.start_date <= $as_of)
  AND (r.end_date IS NULL OR r.end_date >= $as_of)
RETURN key, o.entity_id AS owner, o.name AS name, o.country AS country, r.ratio AS ratio,
       r.ratio IS NULL AS controls
ORDER BY key, owner
