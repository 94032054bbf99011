// purpose: list entries by id, with the subject they list
// parameters: ids (list of entry_id)
// basis: evidence: every derived measure names the entry it comes from
UNWIND $ids AS id
MATCH (l:ListEntry {entry_id: id})-[:LISTED]->(s)
RETURN l.entry_id AS entry_id, l.list_kind AS list_kind, l.list_type AS list_type, l.reason AS reason,
       l.basis AS basis, l.authority AS authority, l.start_date AS start_date, l.end_date AS end_date,
       l.status AS status, l.status_date AS status_date, l.repaired_on AS repaired_on,
       l.repair_id AS repair_id, s.name AS subject_name
