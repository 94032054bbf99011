// purpose: every subject with a red or black list entry in force on a date
// parameters: kind ('red' or 'black'), as_of (date)
// basis: 信用修复 — a repaired, revoked or expired entry no longer counts
MATCH (l:ListEntry)-[:LISTED]->(s)
WHERE l.list_kind = $kind AND @entry_in_force(l)
RETURN coalesce(s.uscc, s.pid) AS key, CASE WHEN s.uscc IS NULL THEN 'Person' ELSE 'Enterprise' END AS label,
       s.name AS name, l.entry_id AS entry_id, l.list_type AS list_type, l.start_date AS start_date,
       l.end_date AS end_date, l.authority AS authority
ORDER BY key, entry_id
