// purpose: every subject under a joint-punishment measure in force on a date (the linked-party alert's measures within reach)
// parameters: as_of (date)
// basis: 联合惩戒 — a measure in force on a party near a watched subject is worth an investigator's look
MATCH (s:Sanction)
WHERE s.kind = 'punishment' AND s.valid_from <= $as_of
  AND (s.valid_to IS NULL OR s.valid_to >= $as_of)
RETURN DISTINCT s.subject_id AS subject_id
