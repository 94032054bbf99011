// purpose: an overseas entity's identity: name, Chinese name, country or region, overseas registration number
// parameters: key (entity_id)
// basis: 境外主体 — an overseas shareholder, controller or parent company of a mainland firm, by the registry's own id
MATCH (n:OverseasEntity {entity_id: $key})
RETURN n.entity_id AS entity_id, n.name AS name, n.name_zh AS name_zh, n.country AS country,
       n.registration_no AS registration_no
