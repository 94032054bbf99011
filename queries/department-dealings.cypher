// purpose: licenses, penalty decisions and procurement awards that departments gave enterprises
// parameters: firms (list of uscc), departments (list of department codes), as_of (date)
// basis: 公务员回避 — dealings between a servant's department and firms the servant or a relative controls
UNWIND $firms AS firm
MATCH (x:License)-[:LICENSED]->(e:Enterprise {uscc: firm})
MATCH (x)-[:ISSUED_BY]->(d:Department)
WHERE d.code IN $departments AND x.decision_date <= $as_of
RETURN firm, 'license' AS kind, x.decision_no AS reference, x.decision_date AS date,
       d.code AS department
UNION ALL
UNWIND $firms AS firm
MATCH (x:Penalty)-[:PENALIZED]->(e:Enterprise {uscc: firm})
MATCH (x)-[:ISSUED_BY]->(d:Department)
WHERE d.code IN $departments AND x.decision_date <= $as_of
RETURN firm, 'penalty' AS kind, x.decision_no AS reference, x.decision_date AS date,
       d.code AS department
UNION ALL
UNWIND $firms AS firm
MATCH (j:ProcurementProject)-[:AWARDED_TO]->(e:Enterprise {uscc: firm})
MATCH (j)-[:PURCHASED_BY]->(d:Department)
WHERE d.code IN $departments AND (j.project_date IS NULL OR j.project_date <= $as_of)
RETURN firm, 'procurement award' AS kind, j.project_id AS reference, j.project_date AS date,
       d.code AS department
