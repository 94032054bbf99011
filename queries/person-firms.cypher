// purpose: enterprises persons hold posts or shares in, on a date (how: the relation)
// parameters: keys (list of pid), as_of (date)
// basis: 公务员法 art. 59 (no for-profit activity); control for conflicts of interest
// note: ratio is -1.0 where the relation carries no share (one type per branch, for both dialects)
UNWIND $keys AS key
MATCH (p:Person {pid: key})-[r:LEGAL_REP_OF]->(e:Enterprise)
WHERE @valid_on(r)
RETURN key, 'LEGAL_REP_OF' AS how, e.uscc AS firm, e.name AS firm_name, -1.0 AS ratio
UNION ALL
UNWIND $keys AS key
MATCH (p:Person {pid: key})-[r:EXECUTIVE_OF]->(e:Enterprise)
WHERE @valid_on(r)
RETURN key, 'EXECUTIVE_OF' AS how, e.uscc AS firm, e.name AS firm_name, -1.0 AS ratio
UNION ALL
UNWIND $keys AS key
MATCH (p:Person {pid: key})-[r:ACTUAL_CONTROLLER_OF]->(e:Enterprise)
WHERE @valid_on(r)
RETURN key, 'ACTUAL_CONTROLLER_OF' AS how, e.uscc AS firm, e.name AS firm_name, -1.0 AS ratio
UNION ALL
UNWIND $keys AS key
MATCH (p:Person {pid: key})-[r:SHAREHOLDER_OF]->(e:Enterprise)
WHERE @valid_on(r)
RETURN key, 'SHAREHOLDER_OF' AS how, e.uscc AS firm, e.name AS firm_name, r.ratio AS ratio
