// purpose: copy each repair decision onto the penalty of the subject it repairs (the PENALIZED link) where it is not there yet (after every load)
// parameters: now (datetime)
// basis: 信用修复 — 提前终止公示: the subject's penalty leaves public faces from the decision date; in a joint decision the other subjects' stays
MATCH (r:Repair)-[:REPAIRS]->(p:Penalty)-[x:PENALIZED]->(s)
WHERE coalesce(s.uscc, s.pid) = r.subject_key
  AND (x.repair_id IS NULL OR x.repair_id <> r.repair_id OR x.repaired_on IS NULL
       OR x.repaired_on <> r.decision_date)
SET x.repaired_on = r.decision_date, x.repair_id = r.repair_id, x.updated_at = $now,
    p.updated_at = $now
RETURN count(x) AS applied
