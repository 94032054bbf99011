// purpose: how many subjects carry a red or black list entry in force on a date (the overview's headline figure)
// parameters: kind ('red' or 'black'), as_of (date)
// basis: 红黑名单 — entries in force; 信用修复 — repaired, revoked and expired entries are not in force
MATCH (l:ListEntry)-[:LISTED]->(s)
WHERE l.list_kind = $kind
  AND @entry_in_force(l)
RETURN count(DISTINCT s) AS subjects
