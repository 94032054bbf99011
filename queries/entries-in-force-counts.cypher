// purpose: red or black list entries in force on a date, counted by the listed subject's division and the issuing authority (statistics)
// parameters: kind ('red' or 'black'), as_of (date)
// basis: 红黑名单 — entries in force, counted by district or department; 信用修复 — repaired, revoked and expired entries are not in force
// note: counted here, not read entry by entry (a city's 20,000 black entries were 40 pages
//       and 7 s of the overview)
MATCH (l:ListEntry)-[:LISTED]->(s)
WHERE l.list_kind = $kind
  AND @entry_in_force(l)
RETURN s.division AS division, l.authority AS authority, count(*) AS entries
ORDER BY division, authority
