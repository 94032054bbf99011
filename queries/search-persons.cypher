// purpose: persons whose name contains a text; shown with the document type and the masked number only, and whether named without a number
// parameters: text (string), limit (integer)
// basis: ID numbers of every document type are personal data: the clear number is never stored or shown
MATCH (p:Person)
WHERE p.name CONTAINS $text
RETURN 'Person' AS label, p.pid AS key, p.name AS name, p.id_masked AS code, p.division AS division,
       CASE WHEN p.is_civil_servant THEN '公务员' ELSE '' END AS status, p.id_type AS id_type,
       p.nationality AS nationality, p.unresolved AS unresolved
ORDER BY size(p.name), p.name, p.pid
LIMIT $limit
