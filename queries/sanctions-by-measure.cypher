// purpose: every subject restricted by a measure on a date ("who is restricted from procurement today"); granted incentives only when their measure is asked for
// parameters: measure (text, or '' for every measure), as_of (date)
// basis: 国发〔2016〕33号 — departments check the restrictions before procurement, bonds, subsidies
MATCH (s:Sanction)-[:APPLIES_TO]->(t)
WHERE (($measure = '' AND s.kind <> 'incentive') OR s.measure = $measure)
  AND @measure_in_force(s)
RETURN s.subject_id AS subject_id, t.name AS name, s.measure AS measure, s.kind AS kind,
       s.departments AS departments, s.entry_id AS entry_id, s.list_type AS list_type, s.hops AS hops,
       s.valid_to AS valid_to, s.path_text AS path_text
ORDER BY measure, subject_id, entry_id
