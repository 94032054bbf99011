// purpose: a subject's commitments broken by a later penalty on the matter committed to
// parameters: key (uscc or pid), as_of (date)
// basis: 信用承诺 — a breached commitment is recorded in the subject's credit file
//        (the rule of commitment-breaches.cypher, for one subject)
MATCH (s:Enterprise {uscc: $key})-[:COMMITTED]->(c:Commitment), (p:Penalty)-[x:PENALIZED]->(s)
WHERE p.violation_type = c.matter AND p.decision_date >= c.commit_date
  AND p.decision_date <= $as_of
RETURN c.commitment_id AS commitment_id, p.decision_no AS decision_no,
       p.decision_date AS decision_date, p.authority AS authority,
       p.violation_type AS violation_type, p.basis AS basis, p.content AS content,
       p.publish_until AS publish_until, x.repaired_on AS repaired_on
UNION ALL
MATCH (s:Person {pid: $key})-[:COMMITTED]->(c:Commitment), (p:Penalty)-[x:PENALIZED]->(s)
WHERE p.violation_type = c.matter AND p.decision_date >= c.commit_date
  AND p.decision_date <= $as_of
RETURN c.commitment_id AS commitment_id, p.decision_no AS decision_no,
       p.decision_date AS decision_date, p.authority AS authority,
       p.violation_type AS violation_type, p.basis AS basis, p.content AS content,
       p.publish_until AS publish_until, x.repaired_on AS repaired_on
