// purpose: every joint-punishment measure in force on a date, with the implementing departments and the division of the subject it applies to (district statistics)
// parameters: as_of (date)
// basis: 国发〔2016〕33号 — measures in force, counted by district and by implementing department
MATCH (s:Sanction)-[:APPLIES_TO]->(x)
WHERE s.kind = 'punishment' AND s.valid_from <= $as_of AND (s.valid_to IS NULL OR s.valid_to >= $as_of)
RETURN s.measure AS measure, s.departments AS departments, x.division AS division
