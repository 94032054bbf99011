// purpose: one page of persons (by key, after $after) with the persons recorded as their
//          relatives (近亲属), valid on a date
// parameters: after (string, '' for the first page), page (int), as_of (date)
// basis: network risk: dishonesty spreads over control and family ties (国发〔2016〕33号)
// note: the control graph's other pages: control-into-enterprises, control-into-overseas
MATCH (b:Person) WHERE b.pid > $after
WITH b ORDER BY b.pid LIMIT $page
OPTIONAL MATCH (a:Person)-[r:RELATIVE_OF]->(b)
WHERE @valid_on(r)
RETURN b.pid AS key, collect(a.pid) AS persons
ORDER BY key
