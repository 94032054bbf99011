// purpose: every watch as an alert run needs it: subject, owner, reach and watch rules (no timestamps: the Neo4j driver spends about 0.1 ms on each zoned datetime, a second at 10,000 watches)
// parameters: none
// basis: 关注 — the subjects investigators asked to be told about
MATCH (w:Watch)
RETURN w.watch_id AS watch_id, w.subject_label AS subject_label, w.subject_key AS subject_key,
       w.subject_name AS subject_name, w.owner AS owner, w.hops AS hops, w.rules AS rules
ORDER BY watch_id
