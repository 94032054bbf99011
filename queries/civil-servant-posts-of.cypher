// purpose: the posts of many civil servants at once, with their dates (the alert run's batch)
// parameters: keys (list of pid)
// basis: 公务员诚信档案 — which department a servant serves in decides their conflicts of interest
MATCH (p:Person)-[s:SERVES_IN]->(d:Department)
WHERE p.pid IN $keys
RETURN p.pid AS key, d.code AS department, s.start_date AS start_date, s.end_date AS end_date
