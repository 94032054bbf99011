// purpose: a person's identity as the graph keeps it: masked ID number, birth year, sex, division
// parameters: key (pid)
// basis: PIPL art. 51 — the ID number itself is never stored or shown
MATCH (n:Person {pid: $key})
RETURN n.pid AS pid, n.name AS name, n.id_masked AS id_masked, n.birth_year AS birth_year,
       n.sex AS sex, n.division AS division, n.is_civil_servant AS is_civil_servant
