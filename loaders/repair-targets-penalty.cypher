// purpose: a penalty by key, one row per subject, with its decision date and the repair decided for that subject if any (checking credit-repair decisions as they load)
// parameters: keys (list of penalty_id)
// basis: 信用修复 — a repair names a penalty decided before it and the subject it repairs, once
UNWIND $keys AS key
MATCH (p:Penalty {penalty_id: key})-[:PENALIZED]->(s)
OPTIONAL MATCH (r:Repair)-[:REPAIRS]->(p)
WHERE r.subject_key = coalesce(s.uscc, s.pid)
RETURN key, p.decision_date AS date, coalesce(s.uscc, s.pid) AS subject, '' AS list_kind,
       r.repair_id AS repair_id, '' AS target_label, '' AS target_key
