// purpose: everyone who is or was legal representative of some enterprises (the phoenix-firm alert asks about them when the firms change)
// parameters: keys (list of uscc)
// basis: 失信被执行人 — a listed firm's representative may not found or run another
MATCH (p:Person)-[:LEGAL_REP_OF]->(e:Enterprise)
WHERE e.uscc IN $keys
RETURN DISTINCT p.pid AS key
