// purpose: copy each repair decision onto the penalty it repairs where it is not there yet (after every load)
// parameters: now (datetime)
// basis: 信用修复 — 提前终止公示: the penalty leaves public faces from the decision date
MATCH (r:Repair)-[:REPAIRS]->(t:Penalty)
WHERE t.repair_id IS NULL OR t.repair_id <> r.repair_id OR t.repaired_on IS NULL
   OR t.repaired_on <> r.decision_date
SET t.repaired_on = r.decision_date, t.repair_id = r.repair_id, t.updated_at = $now
RETURN count(t) AS applied
