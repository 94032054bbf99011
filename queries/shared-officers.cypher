// purpose: persons who are legal representative or executive of several enterprises, on a date
// parameters: min_size (integer), as_of (date)
// basis: 关联关系排查 — common legal representative or officer
MATCH (p:Person)-[r:LEGAL_REP_OF|EXECUTIVE_OF]->(e:Enterprise)
WHERE @valid_on(r)
WITH p.pid AS value, p.name AS name, collect(DISTINCT e.uscc) AS firms
WHERE size(firms) >= $min_size
RETURN 'officer' AS shared, value, name, firms
