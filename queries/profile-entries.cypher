// purpose: a subject's red and black list entries, each with whether it is in force on a date
// parameters: key (uscc or pid), as_of (date)
// basis: 信用修复 — repaired (by status or by a repair decision), revoked and expired entries are shown but do not count
MATCH (l:ListEntry)-[:LISTED]->(s:Enterprise {uscc: $key})
RETURN l.entry_id AS entry_id, l.list_kind AS list_kind, l.list_type AS list_type,
       l.authority AS authority, l.start_date AS start_date, l.end_date AS end_date,
       CASE WHEN l.repaired_on IS NOT NULL AND l.repaired_on <= $as_of THEN 'repaired'
            ELSE l.status END AS status,
       CASE WHEN l.repaired_on IS NOT NULL AND l.repaired_on <= $as_of THEN l.repaired_on
            ELSE l.status_date END AS status_date,
       l.repair_id AS repair_id, l.repaired_on AS repaired_on, l.reason AS reason,
       (@entry_in_force(l)) AS in_force
UNION ALL
MATCH (l:ListEntry)-[:LISTED]->(s:Person {pid: $key})
RETURN l.entry_id AS entry_id, l.list_kind AS list_kind, l.list_type AS list_type,
       l.authority AS authority, l.start_date AS start_date, l.end_date AS end_date,
       CASE WHEN l.repaired_on IS NOT NULL AND l.repaired_on <= $as_of THEN 'repaired'
            ELSE l.status END AS status,
       CASE WHEN l.repaired_on IS NOT NULL AND l.repaired_on <= $as_of THEN l.repaired_on
            ELSE l.status_date END AS status_date,
       l.repair_id AS repair_id, l.repaired_on AS repaired_on, l.reason AS reason,
       (@entry_in_force(l)) AS in_force
