// purpose: the administrative penalties decided against a subject up to a date
// parameters: key (uscc or pid), as_of (date)
// basis: 双公示 — penalties are public for at least 3 months and at most 3 years
MATCH (p:Penalty)-[x:PENALIZED]->(s:Enterprise {uscc: $key})
WHERE p.decision_date <= $as_of
RETURN p.decision_no AS decision_no, p.decision_date AS decision_date,
       p.violation_type AS violation_type, p.category AS category, p.content AS content,
       p.fine_amount AS fine_amount, p.authority AS authority, p.publish_date AS publish_date,
       p.publish_until AS publish_until, p.basis AS basis,
       x.repaired_on AS repaired_on, x.repair_id AS repair_id
UNION ALL
MATCH (p:Penalty)-[x:PENALIZED]->(s:Person {pid: $key})
WHERE p.decision_date <= $as_of
RETURN p.decision_no AS decision_no, p.decision_date AS decision_date,
       p.violation_type AS violation_type, p.category AS category, p.content AS content,
       p.fine_amount AS fine_amount, p.authority AS authority, p.publish_date AS publish_date,
       p.publish_until AS publish_until, p.basis AS basis,
       x.repaired_on AS repaired_on, x.repair_id AS repair_id
