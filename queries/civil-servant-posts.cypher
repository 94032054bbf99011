// purpose: a civil servant's posts (department, position, rank, dates)
// parameters: key (pid)
// basis: 公务员诚信档案 (the 2016 plan)
MATCH (p:Person {pid: $key})-[s:SERVES_IN]->(d:Department)
RETURN d.code AS department, d.name AS department_name, s.position AS position,
       s.rank AS rank, s.start_date AS start_date, s.end_date AS end_date
ORDER BY start_date
