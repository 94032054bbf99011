// purpose: the licenses and penalties decided up to a date by some departments, with their publication dates (the late-publication alert, asked about the departments a change touched)
// parameters: as_of (date), codes (list of department codes: decisions linked to the department), names (list of department names: decisions linked to none, by the name they give)
// basis: 七天双公示 — licenses and penalties are published within seven working days
MATCH (a:Department)
WHERE a.code IN $codes
MATCH (d:Penalty)-[:ISSUED_BY]->(a)
WHERE d.decision_date <= $as_of
RETURN 'penalty' AS kind, d.decision_no AS decision_no, d.decision_date AS decision_date,
       d.publish_date AS publish_date, d.authority AS authority, a.code AS code
UNION ALL
MATCH (a:Department)
WHERE a.code IN $codes
MATCH (d:License)-[:ISSUED_BY]->(a)
WHERE d.decision_date <= $as_of
RETURN 'license' AS kind, d.decision_no AS decision_no, d.decision_date AS decision_date,
       d.publish_date AS publish_date, d.authority AS authority, a.code AS code
UNION ALL
MATCH (d:Penalty)
WHERE d.authority IN $names AND d.decision_date <= $as_of
OPTIONAL MATCH (d)-[:ISSUED_BY]->(a:Department)
WITH d, a
WHERE a IS NULL
RETURN 'penalty' AS kind, d.decision_no AS decision_no, d.decision_date AS decision_date,
       d.publish_date AS publish_date, d.authority AS authority, a.code AS code
UNION ALL
MATCH (d:License)
WHERE d.authority IN $names AND d.decision_date <= $as_of
OPTIONAL MATCH (d)-[:ISSUED_BY]->(a:Department)
WITH d, a
WHERE a IS NULL
RETURN 'license' AS kind, d.decision_no AS decision_no, d.decision_date AS decision_date,
       d.publish_date AS publish_date, d.authority AS authority, a.code AS code
