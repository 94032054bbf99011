// purpose: civil servants with their current department, for the integrity-file page
// parameters: (none)
// basis: 公务员诚信档案
MATCH (p:Person)-[r:SERVES_IN]->(d:Department)
WHERE r.end_date IS NULL
RETURN p.pid AS key, p.name AS name, p.id_masked AS id_masked, d.name AS department, r.position AS position
ORDER BY department, name, key
