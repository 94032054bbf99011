// purpose: penalties by key with their decision date, their subjects and the repair already decided for them (checking credit-repair decisions as they load)
// parameters: keys (list of penalty_id)
// basis: 信用修复 — a repair names a penalty decided before it, of the subject it says, repaired once
UNWIND $keys AS key
MATCH (p:Penalty {penalty_id: key})-[:PENALIZED]->(s)
RETURN key, p.decision_date AS date, collect(coalesce(s.uscc, s.pid)) AS subjects,
       '' AS list_kind, p.repair_id AS repair_id
