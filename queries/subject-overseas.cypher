// purpose: find an overseas entity by its id (the registry's own 境外主体编号)
// parameters: value (string)
// basis: 境外主体 — overseas entities are keyed by the id the registry gives them
MATCH (n:OverseasEntity {entity_id: $value})
RETURN 'OverseasEntity' AS label, n.entity_id AS key, n.name AS name, n.country AS country
