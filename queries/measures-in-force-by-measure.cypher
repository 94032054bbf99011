// purpose: the joint-punishment measures in force on a date, by measure: how many, on how many subjects (the overview)
// parameters: as_of (date)
// basis: 国发〔2016〕33号 — joint punishment: what is restricted, and how widely
MATCH (s:Sanction)
WHERE s.kind = 'punishment' AND @measure_in_force(s)
RETURN s.measure AS measure, count(*) AS measures, count(DISTINCT s.subject_id) AS subjects
ORDER BY measures DESC, measure
