// purpose: the joint-punishment measures on many subjects at once (a batch of credit checks)
// parameters: subject_ids (list of "Label:key"), as_of (date)
// basis: 国发〔2016〕33号; 法释〔2015〕17号 — who is restricted, by which measure, on what basis, and why
MATCH (s:Sanction)
WHERE s.subject_id IN $subject_ids
  AND s.valid_from <= $as_of
  // not (valid_to IS NULL OR ...): Neo4j would scan its valid_to index (alert-party-measures)
  AND coalesce(s.valid_to, $as_of) >= $as_of
RETURN s.subject_id AS subject_id, s.sanction_id AS sanction_id, s.kind AS kind, s.measure AS measure,
       s.departments AS departments, s.basis AS basis, s.rule AS rule, s.entry_id AS entry_id,
       s.list_type AS list_type, s.hops AS hops, s.weight AS weight, s.valid_from AS valid_from,
       s.valid_to AS valid_to, s.path AS path, s.path_types AS path_types, s.path_text AS path_text,
       s.as_of AS computed_for
ORDER BY subject_id, kind, measure, hops, entry_id
