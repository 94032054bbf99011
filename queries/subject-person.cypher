// purpose: find a person by key (the keyed hash of the ID number)
// parameters: pid (string)
// basis: PIPL art. 51 — ID numbers are matched through their keyed hash, never stored
MATCH (n:Person {pid: $pid})
RETURN 'Person' AS label, n.pid AS key, n.name AS name
