// purpose: list entries written since a time (new, changed, repaired, revoked), with their subjects
// parameters: since (datetime)
// basis: incremental propagation: only what a load touched is recomputed
MATCH (l:ListEntry)-[:LISTED]->(s)
WHERE l.updated_at >= $since
RETURN l.entry_id AS entry_id, l.list_kind AS list_kind, coalesce(s.uscc, s.pid) AS key,
       CASE WHEN s.uscc IS NULL THEN 'Person' ELSE 'Enterprise' END AS label
