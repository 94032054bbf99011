// purpose: a civil servant's integrity file: clean-governance records, annual assessments,
//          violations of law, discipline or contract, up to a date
// parameters: key (pid), as_of (date)
// basis: 公务员诚信档案, linked to promotion (the 2016 plan)
MATCH (r:IntegrityRecord)-[:RECORD_OF]->(p:Person {pid: $key})
WHERE r.record_date <= $as_of
RETURN r.record_type AS record_type, r.record_date AS record_date, r.result AS result,
       r.content AS content, r.authority AS authority
ORDER BY record_date, record_type
