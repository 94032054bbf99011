// purpose: list entries by id with their start date, list kind, subject and the repair already decided for them (checking credit-repair decisions as they load)
// parameters: keys (list of entry_id)
// basis: 信用修复 — a repair removes a black-list entry listed before it, of the subject it says, once
UNWIND $keys AS key
MATCH (l:ListEntry {entry_id: key})-[:LISTED]->(s)
RETURN key, l.start_date AS date, collect(coalesce(s.uscc, s.pid)) AS subjects,
       l.list_kind AS list_kind, l.repair_id AS repair_id
