// purpose: the administrative licenses granted to a subject up to a date
// parameters: key (uscc or pid), as_of (date)
// basis: 双公示
MATCH (l:License)-[:LICENSED]->(s:Enterprise {uscc: $key})
WHERE l.decision_date <= $as_of
RETURN l.decision_no AS decision_no, l.decision_date AS decision_date,
       l.certificate_name AS certificate_name, l.license_no AS license_no,
       l.valid_from AS valid_from, l.valid_to AS valid_to, l.authority AS authority,
       l.status AS status
UNION ALL
MATCH (l:License)-[:LICENSED]->(s:Person {pid: $key})
WHERE l.decision_date <= $as_of
RETURN l.decision_no AS decision_no, l.decision_date AS decision_date,
       l.certificate_name AS certificate_name, l.license_no AS license_no,
       l.valid_from AS valid_from, l.valid_to AS valid_to, l.authority AS authority,
       l.status AS status
