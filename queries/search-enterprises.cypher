// purpose: enterprises whose name contains a text (partial Chinese names), for the search page
// parameters: text (string), limit (integer)
// basis: investigators look subjects up by the name they were told
MATCH (e:Enterprise)
WHERE e.name CONTAINS $text
RETURN 'Enterprise' AS label, e.uscc AS key, e.name AS name, e.uscc AS code, e.division AS division,
       e.status AS status
ORDER BY size(e.name), e.name, e.uscc
LIMIT $limit
