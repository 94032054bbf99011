// purpose: the names of subjects given by key, one list per label
// parameters: enterprises (list of uscc), persons (list of pid), overseas (list of entity_id)
// basis: a ranking names whom it ranks
UNWIND $enterprises AS key
MATCH (n:Enterprise {uscc: key})
RETURN 'Enterprise' AS label, key, n.name AS name
UNION ALL
UNWIND $persons AS key
MATCH (n:Person {pid: key})
RETURN 'Person' AS label, key, n.name AS name
UNION ALL
UNWIND $overseas AS key
MATCH (n:OverseasEntity {entity_id: key})
RETURN 'OverseasEntity' AS label, key, n.name AS name
