// purpose: the Enterprise shareholders and actual controllers of enterprises, on a date
// parameters: keys (list of uscc), as_of (date)
// basis: 受益所有人 (2024 rules) — 25% or more held directly or through chains, or actual control
UNWIND $keys AS key
MATCH (o:Enterprise)-[r:SHAREHOLDER_OF|ACTUAL_CONTROLLER_OF]->(e:Enterprise {uscc: key})
WHERE (r.start_date IS NULL OR r.start_date <= $as_of)
  AND (r.end_date IS NULL OR r.end_date >= $as_of)
RETURN key, o.uscc AS owner, o.name AS name, r.ratio AS ratio,
       r.ratio IS NULL AS controls
ORDER BY key, owner
