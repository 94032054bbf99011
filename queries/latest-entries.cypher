// purpose: the most recent list entries with their subjects, for the overview
// parameters: limit (integer)
// basis: 红黑名单 — what regulators look at first
MATCH (l:ListEntry)-[:LISTED]->(s)
RETURN l.entry_id AS entry_id, l.list_kind AS kind, l.list_type AS list_type, s.name AS name,
       l.start_date AS start_date,
       CASE WHEN l.repaired_on IS NULL THEN l.status ELSE 'repaired' END AS status,
       l.authority AS authority
ORDER BY start_date DESC, entry_id
LIMIT $limit
