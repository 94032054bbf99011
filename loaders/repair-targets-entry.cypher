// purpose: a list entry by id with its start date, list kind, subject and the repair decided for it if any (checking credit-repair decisions as they load)
// parameters: keys (list of entry_id)
// basis: 信用修复 — a repair removes a black-list entry listed before it, once
UNWIND $keys AS key
MATCH (l:ListEntry {entry_id: key})-[:LISTED]->(s)
OPTIONAL MATCH (r:Repair)-[:REPAIRS]->(l)
RETURN key, l.start_date AS date, coalesce(s.uscc, s.pid) AS subject,
       l.list_kind AS list_kind, r.repair_id AS repair_id, '' AS target_label,
       '' AS target_key
