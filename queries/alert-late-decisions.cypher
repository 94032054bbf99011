// purpose: every license and penalty decided up to a date with its publication date and the deciding department when known (the late-publication alert)
// parameters: as_of (date)
// basis: 七天双公示 — licenses and penalties are published within seven working days
MATCH (d:Penalty)
WHERE d.decision_date <= $as_of
OPTIONAL MATCH (d)-[:ISSUED_BY]->(a:Department)
RETURN 'penalty' AS kind, d.decision_no AS decision_no, d.decision_date AS decision_date,
       d.publish_date AS publish_date, d.authority AS authority, a.code AS code
UNION ALL
MATCH (d:License)
WHERE d.decision_date <= $as_of
OPTIONAL MATCH (d)-[:ISSUED_BY]->(a:Department)
RETURN 'license' AS kind, d.decision_no AS decision_no, d.decision_date AS decision_date,
       d.publish_date AS publish_date, d.authority AS authority, a.code AS code
