// purpose: (phoenix-firms for some persons: their keys found through the index) enterprises founded by a person after that person, or a firm they represented, was
//          black-listed — with the entry still in force when the new firm was founded
// parameters: as_of (date), keys (list of pid: the persons asked)
// basis: 严重违法失信企业名单管理 / 失信被执行人 — restrictions on serving as legal representative
MATCH (p:Person)<-[:LISTED]-(l:ListEntry), (p)-[:LEGAL_REP_OF]->(f:Enterprise)
WHERE p.pid IN $keys AND l.list_kind = 'black' AND f.established > l.start_date
  AND f.established <= $as_of
  AND @entry_in_force(l, f.established)
RETURN p.pid AS person_id, p.name AS person_name, p.id_masked AS person_masked,
       'person' AS listed, l.entry_id AS entry_id, l.list_type AS list_type,
       l.start_date AS listed_on, '' AS listed_firm, f.uscc AS firm_id, f.name AS firm_name,
       f.established AS established
UNION ALL
// a firm's entries read once per person, then held against each later firm of theirs: a person
// representing thousands of firms, hundreds of them listed, is not a product of the two
MATCH (p:Person)-[:LEGAL_REP_OF]->(old:Enterprise)<-[:LISTED]-(l:ListEntry)
WHERE p.pid IN $keys AND l.list_kind = 'black' AND l.start_date < $as_of
WITH p, min(l.start_date) AS first,
     collect({old: old.uscc, entry_id: l.entry_id, list_type: l.list_type, start: l.start_date,
              until: l.end_date, active: l.status = 'active', status_date: l.status_date,
              repaired_on: l.repaired_on}) AS entries
MATCH (p)-[:LEGAL_REP_OF]->(f:Enterprise)
WHERE f.established > first AND f.established <= $as_of
WITH p, f, f.uscc AS firm_id, f.established AS established, entries
UNWIND entries AS e
WITH p, f, firm_id, established, e
// the entries are maps here, not nodes, so the entry_in_force fragment cannot be named:
// the same test, written on the map's fields
WHERE e.old <> firm_id AND established > e.start
  AND (e.until IS NULL OR e.until >= established)
  AND (e.active OR (e.status_date IS NOT NULL AND e.status_date > established))
  AND (e.repaired_on IS NULL OR e.repaired_on > established)
RETURN p.pid AS person_id, p.name AS person_name, p.id_masked AS person_masked,
       'firm' AS listed, e.entry_id AS entry_id, e.list_type AS list_type,
       e.start AS listed_on, e.old AS listed_firm, firm_id, f.name AS firm_name, established
