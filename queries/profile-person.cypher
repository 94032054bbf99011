// purpose: a person's identity as the graph keeps it: document type, masked number, nationality, birth year, sex, division; for a person named without a number, the firm it is scoped to and whom it was resolved to
// parameters: key (pid)
// basis: PIPL art. 51 — the document number itself is never stored or shown; 自然人股东 named without a number are never merged by name
MATCH (n:Person {pid: $key})
OPTIONAL MATCH (f:Enterprise {uscc: n.scope})
OPTIONAL MATCH (t:Person {pid: n.resolved_to})
RETURN n.pid AS pid, n.name AS name, n.id_type AS id_type, n.id_masked AS id_masked,
       n.nationality AS nationality, n.birth_year AS birth_year, n.sex AS sex,
       n.division AS division, n.is_civil_servant AS is_civil_servant,
       n.unresolved AS unresolved, n.scope AS scope, f.name AS scope_name,
       n.resolved_to AS resolved_to, t.name AS resolved_to_name, n.resolved_by AS resolved_by,
       n.resolved_at AS resolved_at
