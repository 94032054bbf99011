// purpose: every subject with a red or black list entry in force on a date
// parameters: kind ('red' or 'black'), as_of (date)
// basis: 信用修复 — a repaired, revoked or expired entry no longer counts
MATCH (l:ListEntry)-[:LISTED]->(s)
WHERE l.list_kind = $kind AND l.start_date <= $as_of
  AND (l.end_date IS NULL OR l.end_date >= $as_of)
  AND (l.status = 'active' OR (l.status_date IS NOT NULL AND l.status_date > $as_of))
  AND (l.repaired_on IS NULL OR l.repaired_on > $as_of)
RETURN coalesce(s.uscc, s.pid) AS key, CASE WHEN s.uscc IS NULL THEN 'Person' ELSE 'Enterprise' END AS label,
       s.name AS name, l.entry_id AS entry_id, l.list_type AS list_type, l.start_date AS start_date,
       l.end_date AS end_date, l.authority AS authority
ORDER BY key, entry_id
