// purpose: red or black list entries in force on a date, one page of entries in entry order after a cursor (a row per subject an entry names: a page never splits an entry), optionally in one district, of one issuing department and listed since a date
// parameters: kind ('red' or 'black'), as_of (date), after (entry_id, '' for the first page), district (division code prefix, '' for all), authority (department code, '' for all), since (date), limit (integer: entries, not rows)
// basis: 红黑名单 — what departmental systems mirror and what is published (红黑名单发布); 信用修复 — repaired, revoked and expired entries are not in force
MATCH (l:ListEntry)-[:LISTED]->(s)
WHERE l.list_kind = $kind AND l.entry_id > $after AND l.start_date >= $since
  AND @entry_in_force(l)
  AND ($district = '' OR s.division STARTS WITH $district)
  AND ($authority = '' OR EXISTS { MATCH (l)-[:ISSUED_BY]->(d:Department) WHERE d.code = $authority })
WITH l, collect(s) AS subjects
ORDER BY l.entry_id
LIMIT $limit
UNWIND subjects AS s
RETURN l.entry_id AS entry_id, l.list_kind AS kind, l.list_type AS list_type,
       l.authority AS authority, l.start_date AS start_date, l.end_date AS end_date,
       l.reason AS reason, l.basis AS basis,
       CASE WHEN s.uscc IS NULL THEN 'Person' ELSE 'Enterprise' END AS label,
       coalesce(s.uscc, s.pid) AS key, s.name AS name, s.division AS division,
       s.id_masked AS id_masked
ORDER BY entry_id, key
