// purpose: copy each repair decision onto the list entry it repairs where it is not there yet (after every load)
// parameters: now (datetime)
// basis: 信用修复 — 移出名单: the entry stops counting from the decision date; updated_at moves so propagation retracts what it derived
MATCH (r:Repair)-[:REPAIRS]->(t:ListEntry)
WHERE t.repair_id IS NULL OR t.repair_id <> r.repair_id OR t.repaired_on IS NULL
   OR t.repaired_on <> r.decision_date
SET t.repaired_on = r.decision_date, t.repair_id = r.repair_id, t.updated_at = $now
RETURN count(t) AS applied
