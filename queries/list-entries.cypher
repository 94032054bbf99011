// purpose: the red or black list entries of subjects that are in force on a date
// parameters: enterprises (list of uscc), persons (list of pid), kinds (list of 'red' / 'black'), as_of (date)
// basis: 信用修复 — a repaired, revoked or expired entry no longer counts, nor anything derived from it
// (`IN $keys`, not `UNWIND`: the embedded engine answers an UNWIND-then-MATCH by scanning)
MATCH (l:ListEntry)-[:LISTED]->(s:Enterprise)
WHERE s.uscc IN $enterprises AND l.list_kind IN $kinds AND l.start_date <= $as_of
  AND (l.end_date IS NULL OR l.end_date >= $as_of)
  AND (l.status = 'active' OR (l.status_date IS NOT NULL AND l.status_date > $as_of))
RETURN 'Enterprise' AS label, s.uscc AS key, l.list_kind AS kind, l.entry_id AS entry_id, l.list_type AS list_type,
       l.start_date AS start_date, l.end_date AS end_date, l.authority AS authority, s.name AS name
UNION ALL
MATCH (l:ListEntry)-[:LISTED]->(s:Person)
WHERE s.pid IN $persons AND l.list_kind IN $kinds AND l.start_date <= $as_of
  AND (l.end_date IS NULL OR l.end_date >= $as_of)
  AND (l.status = 'active' OR (l.status_date IS NOT NULL AND l.status_date > $as_of))
RETURN 'Person' AS label, s.pid AS key, l.list_kind AS kind, l.entry_id AS entry_id, l.list_type AS list_type,
       l.start_date AS start_date, l.end_date AS end_date, l.authority AS authority, s.name AS name
