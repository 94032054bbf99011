// purpose: a person's close relatives, in either direction, on a date
// parameters: key (pid), as_of (date)
// basis: conflict of interest reaches close relatives (公务员回避)
MATCH (p:Person {pid: $key})-[r:RELATIVE_OF]-(q:Person)
WHERE (r.start_date IS NULL OR r.start_date <= $as_of) AND (r.end_date IS NULL OR r.end_date >= $as_of)
RETURN q.pid AS pid, q.name AS name, r.kind AS kind
ORDER BY pid
