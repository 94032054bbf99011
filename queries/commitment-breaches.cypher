// purpose: subjects penalised, after committing, on the matter they had committed to
// parameters: as_of (date), every_subject (boolean), keys (list of uscc: the subjects asked when every_subject is false)
// basis: 信用承诺 — a breached commitment is recorded in the subject's credit file
MATCH (s:Enterprise)-[:COMMITTED]->(c:Commitment), (p:Penalty)-[:PENALIZED]->(s)
WHERE ($every_subject OR s.uscc IN $keys) AND p.violation_type = c.matter AND p.decision_date >= c.commit_date
  AND p.decision_date <= $as_of
RETURN s.uscc AS subject_id, s.name AS name, c.commitment_id AS commitment_id,
       c.matter AS matter, c.commit_date AS commit_date, p.decision_no AS decision_no,
       p.decision_date AS decision_date, p.authority AS authority
ORDER BY subject_id, commitment_id, decision_no
