// purpose: one hop of the control and affiliation graph from Person subjects, outgoing relations
// parameters: keys (list of pid), as_of (date)
// basis: 国发〔2016〕33号 — joint punishment reaches legal representatives, controllers and related parties
// dialect: the embedded engine pays for every UNION branch, type filter and coalesce() over
//          node tables whatever the frontier, so it gets one small query per label and direction;
//          the caller skips empty frontiers and filters relationship types itself
UNWIND $keys AS key
MATCH (n:Person {pid: key})-[r:@control_types]->(m)
WHERE @valid_on(r)
RETURN 'Person' AS from_label, key, true AS outgoing, label(r) AS type, label(m) AS label,
       m.uscc AS uscc, m.pid AS pid, m.entity_id AS entity_id, m.name AS name,
       m.country AS country, r.ratio AS ratio, r.role AS role, r.kind AS kind
