// purpose: the joint-punishment measures in force on a date, counted by the division of the subject each applies to (district statistics)
// parameters: as_of (date)
// basis: 国发〔2016〕33号 — measures in force, counted by district
// note: counted here, not row by row in Python: a city holds hundreds of thousands of measures
//       (272,165 at 2M enterprises; reading them one record each took 20 s of the overview)
MATCH (s:Sanction)-[:APPLIES_TO]->(x)
WHERE s.kind = 'punishment' AND @measure_in_force(s)
RETURN x.division AS division, count(*) AS measures
ORDER BY division
