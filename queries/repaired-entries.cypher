// purpose: list entries repaired in a period, with the issuing authority and the subject's division (district statistics)
// parameters: from_date (date), to_date (date)
// basis: 信用修复 — repairs granted, reported by district and by authority
MATCH (l:ListEntry)-[:LISTED]->(s)
WHERE l.status = 'repaired' AND l.status_date >= $from_date AND l.status_date <= $to_date
RETURN l.list_kind AS kind, l.authority AS authority, s.division AS division
