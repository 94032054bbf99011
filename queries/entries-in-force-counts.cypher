// purpose: red or black list entries in force on a date, counted by the listed subject's division and the issuing authority (statistics)
// parameters: kind ('red' or 'black'), as_of (date)
// basis: 红黑名单 — entries in force, counted by district or department; 信用修复 — repaired, revoked and expired entries are not in force
// note: the same test of "in force" as lists-page; counted here, not read entry by entry (a
//       city's 20,000 black entries were 40 pages and 7 s of the overview)
MATCH (l:ListEntry)-[:LISTED]->(s)
WHERE l.list_kind = $kind
  AND l.start_date <= $as_of AND (l.end_date IS NULL OR l.end_date >= $as_of)
  AND (l.status = 'active' OR (l.status_date IS NOT NULL AND l.status_date > $as_of))
  AND (l.repaired_on IS NULL OR l.repaired_on > $as_of)
RETURN s.division AS division, l.authority AS authority, count(*) AS entries
ORDER BY division, authority
