// purpose: remove watches (the subjects stay; the cases their alerts opened stay)
// parameters: ids (list of watch_id)
// basis: 关注 — an investigator stops watching a subject
UNWIND $ids AS id
MATCH (w:Watch {watch_id: id})
DETACH DELETE w
