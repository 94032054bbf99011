// purpose: the close relatives of many persons at once, on a date
// parameters: keys (list of pid), as_of (date)
// basis: 公务员法 art. 74 — conflicts of interest reach a servant's close relatives
MATCH (p:Person)-[r:RELATIVE_OF]-(q:Person)
WHERE p.pid IN $keys
  AND @valid_on(r)
RETURN p.pid AS key, q.pid AS pid, q.name AS name, r.kind AS kind
ORDER BY key, pid
