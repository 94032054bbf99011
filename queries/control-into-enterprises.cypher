// purpose: one page of enterprises (by code, after $after) with the subjects holding a control or
//          affiliation relation into each, valid on a date, by label
// parameters: after (string, '' for the first page), page (int), as_of (date)
// basis: network risk: dishonesty spreads over control (国发〔2016〕33号)
// note: read page by page so that the control graph of a city (8 million relations at 2 million
//       firms) crosses to Python in a few hundred packed answers, not one record per relation
MATCH (b:Enterprise) WHERE b.uscc > $after
WITH b ORDER BY b.uscc LIMIT $page
OPTIONAL MATCH (a:Person)-[r:LEGAL_REP_OF|SHAREHOLDER_OF|EXECUTIVE_OF|ACTUAL_CONTROLLER_OF]->(b)
WHERE @valid_on(r)
WITH b, collect(a.pid) AS persons
OPTIONAL MATCH (a:Enterprise)-[r:SHAREHOLDER_OF|ACTUAL_CONTROLLER_OF|BRANCH_OF]->(b)
WHERE @valid_on(r)
WITH b, persons, collect(a.uscc) AS enterprises
OPTIONAL MATCH (a:OverseasEntity)-[r:SHAREHOLDER_OF|ACTUAL_CONTROLLER_OF]->(b)
WHERE @valid_on(r)
RETURN b.uscc AS key, persons, enterprises, collect(a.entity_id) AS overseas
ORDER BY key
