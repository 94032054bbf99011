// purpose: what identifies overseas entities in a case: Chinese name, country or region, overseas registration number
// parameters: keys (list of entity_id)
// basis: 境外主体 — an overseas party is named with its country or region
UNWIND $keys AS key
MATCH (n:OverseasEntity {entity_id: key})
RETURN key, n.name_zh AS name_zh, n.country AS country, n.registration_no AS registration_no
