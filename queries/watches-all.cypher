// purpose: every watch with its subject, owner, reach and the watch rules it asks for
// parameters: none
// basis: 关注 — the subjects investigators asked to be told about
MATCH (w:Watch)
RETURN w.watch_id AS watch_id, w.subject_label AS subject_label, w.subject_key AS subject_key,
       w.subject_name AS subject_name, w.owner AS owner, w.hops AS hops, w.rules AS rules, w.note AS note,
       w.created_at AS created_at, w.created_by AS created_by
ORDER BY watch_id
