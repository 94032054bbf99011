// purpose: enterprises founded by a person after that person, or a firm they represented, was
//          black-listed — with the entry still in force when the new firm was founded
// parameters: as_of (date)
// basis: 严重违法失信企业名单管理 / 失信被执行人 — restrictions on serving as legal representative
MATCH (l:ListEntry)-[:LISTED]->(p:Person)-[:LEGAL_REP_OF]->(f:Enterprise)
WHERE l.list_kind = 'black' AND f.established > l.start_date
  AND f.established <= $as_of
  AND @entry_in_force(l, f.established)
RETURN p.pid AS person_id, p.name AS person_name, p.id_masked AS person_masked,
       'person' AS listed, l.entry_id AS entry_id, l.list_type AS list_type,
       l.start_date AS listed_on, '' AS listed_firm, f.uscc AS firm_id, f.name AS firm_name,
       f.established AS established
UNION ALL
MATCH (l:ListEntry)-[:LISTED]->(old:Enterprise)<-[:LEGAL_REP_OF]-(p:Person)-[:LEGAL_REP_OF]->(f:Enterprise)
WHERE l.list_kind = 'black' AND f.uscc <> old.uscc
  AND f.established > l.start_date
  AND f.established <= $as_of
  AND @entry_in_force(l, f.established)
RETURN p.pid AS person_id, p.name AS person_name, p.id_masked AS person_masked,
       'firm' AS listed, l.entry_id AS entry_id, l.list_type AS list_type,
       l.start_date AS listed_on, old.uscc AS listed_firm, f.uscc AS firm_id,
       f.name AS firm_name, f.established AS established
