// purpose: red and black list entries by listing date, for the overview's chart by year
// parameters: (none)
// basis: 红黑名单 — how listing develops over time
// note: grouped by day here and by year in Python: the dialects extract a year differently
MATCH (l:ListEntry)
RETURN l.start_date AS day, l.list_kind AS kind, count(*) AS entries
ORDER BY day, kind
