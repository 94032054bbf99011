// purpose: the credit commitments a subject made up to a date
// parameters: key (uscc or pid), as_of (date)
// basis: 信用承诺 (the 2016 plan)
MATCH (s:Enterprise {uscc: $key})-[:COMMITTED]->(c:Commitment)
WHERE c.commit_date <= $as_of
RETURN c.commitment_id AS commitment_id, c.matter AS matter, c.commit_date AS commit_date,
       c.content AS content, c.authority AS authority
UNION ALL
MATCH (s:Person {pid: $key})-[:COMMITTED]->(c:Commitment)
WHERE c.commit_date <= $as_of
RETURN c.commitment_id AS commitment_id, c.matter AS matter, c.commit_date AS commit_date,
       c.content AS content, c.authority AS authority
