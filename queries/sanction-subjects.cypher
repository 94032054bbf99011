// purpose: the subjects of some stored sanctions (those about to be removed: an alert run asks about them)
// parameters: ids (list of sanction ids)
// basis: 联合惩戒 — a measure lifted is a change a watched subject's investigator hears of
MATCH (s:Sanction)
WHERE s.sanction_id IN $ids
RETURN DISTINCT s.subject_id AS subject_id
