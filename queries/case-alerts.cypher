// purpose: the alerts a case was opened or joined by, oldest first
// parameters: case_id (string)
// basis: 案件 — each alert opens or joins a case
MATCH (a:Alert)-[:ALERT_OF]->(c:InvestigationCase {case_id: $case_id})
RETURN a.fingerprint AS fingerprint, a.rule AS rule, a.raised_at AS raised_at
ORDER BY raised_at, fingerprint
