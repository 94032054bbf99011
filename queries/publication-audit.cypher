// purpose: license and penalty decisions in a window with their publication dates and the divisions of their subjects (七天双公示), one row per decision
// parameters: from_date, to_date (dates; decision dates in the window)
// basis: 杭州市 2016 plan — decisions are published within 7 working days
MATCH (d:Penalty)
WHERE d.decision_date >= $from_date AND d.decision_date <= $to_date
OPTIONAL MATCH (d)-[:PENALIZED]->(s)
WITH d, collect(DISTINCT s.division) AS divisions
RETURN 'penalty' AS kind, divisions, d.decision_no AS decision_no, d.authority AS authority,
       d.subject_name AS subject_name, d.decision_date AS decision_date,
       d.publish_date AS publish_date
UNION ALL
MATCH (d:License)
WHERE d.decision_date >= $from_date AND d.decision_date <= $to_date
OPTIONAL MATCH (d)-[:LICENSED]->(s)
WITH d, collect(DISTINCT s.division) AS divisions
RETURN 'license' AS kind, divisions, d.decision_no AS decision_no, d.authority AS authority,
       d.subject_name AS subject_name, d.decision_date AS decision_date,
       d.publish_date AS publish_date
