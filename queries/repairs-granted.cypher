// purpose: repairs granted in a period, each with the deciding authority and its subject's division (district statistics): repair decisions (移出名单, 提前终止公示) once applied to their record, and list entries a feed marked repaired without one
// parameters: from_date (date), to_date (date)
// basis: 信用修复 — repairs granted, reported by district and by authority
MATCH (r:Repair)-[:REPAIRS]->(l:ListEntry)-[:LISTED]->(s)
WHERE r.decision_date >= $from_date AND r.decision_date <= $to_date
  AND l.repair_id = r.repair_id
RETURN r.repair_id AS id, r.authority AS authority, collect(s.division) AS divisions
UNION ALL
MATCH (r:Repair)-[:REPAIRS]->(:Penalty)-[x:PENALIZED]->(s)
WHERE r.decision_date >= $from_date AND r.decision_date <= $to_date
  AND x.repair_id = r.repair_id
RETURN r.repair_id AS id, r.authority AS authority, collect(s.division) AS divisions
UNION ALL
MATCH (l:ListEntry)-[:LISTED]->(s)
WHERE l.repaired_on IS NULL AND l.status = 'repaired'
  AND l.status_date >= $from_date AND l.status_date <= $to_date
RETURN l.entry_id AS id, l.authority AS authority, collect(s.division) AS divisions
