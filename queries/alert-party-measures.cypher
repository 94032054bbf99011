// purpose: the joint-punishment measures in force on the parties within a watch's reach (the linked-party alert shows measure, cause and whether the subject's own entry is its cause); no more columns than that, as an alert run reads them for thousands of parties
// parameters: subject_ids (list of "Label:key"), as_of (date)
// basis: 联合奖惩 — joint punishment reaches the parties related to the dishonest
MATCH (s:Sanction)
WHERE s.subject_id IN $subject_ids AND s.kind = 'punishment'
  AND s.valid_from <= $as_of AND (s.valid_to IS NULL OR s.valid_to >= $as_of)
RETURN s.subject_id AS subject_id, s.measure AS measure, s.entry_id AS entry_id, s.path AS path
