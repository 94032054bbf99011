// purpose: one page of overseas entities (境外主体, by id, after $after) with the persons and
//          enterprises holding a control relation into each, valid on a date
// parameters: after (string, '' for the first page), page (int), as_of (date)
// basis: network risk: dishonesty spreads over control (国发〔2016〕33号)
// note: the control graph's other pages: control-into-enterprises, control-into-persons
MATCH (b:OverseasEntity) WHERE b.entity_id > $after
WITH b ORDER BY b.entity_id LIMIT $page
OPTIONAL MATCH (a:Person)-[r:SHAREHOLDER_OF|ACTUAL_CONTROLLER_OF]->(b)
WHERE @valid_on(r)
WITH b, collect(a.pid) AS persons
OPTIONAL MATCH (a:Enterprise)-[r:SHAREHOLDER_OF|ACTUAL_CONTROLLER_OF|BRANCH_OF]->(b)
WHERE @valid_on(r)
RETURN b.entity_id AS key, persons, collect(a.uscc) AS enterprises
ORDER BY key
