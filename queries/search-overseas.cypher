// purpose: overseas entities (境外主体) whose name or Chinese name contains a text, for the search page; shown with their country or region, never with a masked number
// parameters: text (string), limit (integer)
// basis: 境外主体 — a foreign-invested firm's overseas shareholder is looked up by the name it was told by, in its original script or in Chinese
MATCH (n:OverseasEntity)
WHERE n.name CONTAINS $text OR n.name_zh CONTAINS $text
RETURN 'OverseasEntity' AS label, n.entity_id AS key, n.name AS name, n.entity_id AS code,
       n.country AS country, n.name_zh AS name_zh
ORDER BY size(n.name), n.name, n.entity_id
LIMIT $limit
