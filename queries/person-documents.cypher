// purpose: what identifies persons in a case: document type, masked number, nationality, whether named without a number
// parameters: keys (list of pid)
// basis: PIPL art. 51 — only the masked number is ever shown, never beside a birth year
UNWIND $keys AS key
MATCH (n:Person {pid: key})
RETURN key, n.id_type AS id_type, n.id_masked AS id_masked, n.nationality AS nationality,
       n.unresolved AS unresolved, n.scope AS scope
