// purpose: the joint-punishment measures in force on the parties within a watch's reach (the linked-party alert shows measure, cause and whether the subject's own entry is its cause); no more columns than that, as an alert run reads them for thousands of parties
// parameters: subject_ids (list of "Label:key"), as_of (date)
// basis: 联合奖惩 — joint punishment reaches the parties related to the dishonest
MATCH (s:Sanction)
WHERE s.subject_id IN $subject_ids AND s.kind = 'punishment'
  AND s.valid_from <= $as_of
  // not (valid_to IS NULL OR valid_to >= $as_of): Neo4j answers that half by scanning its
  // valid_to index, every measure in force city-wide, for each batch of parties
  AND coalesce(s.valid_to, $as_of) >= $as_of
RETURN s.subject_id AS subject_id, s.measure AS measure, s.entry_id AS entry_id, s.path AS path
