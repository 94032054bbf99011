// purpose: enterprise counts by registering division, founded by a date (or of unknown founding date), for the overview and district statistics
// parameters: until (date)
// basis: the plan's district-level credit construction targets
MATCH (e:Enterprise)
WHERE e.established IS NULL OR e.established <= $until
RETURN e.division AS division, count(*) AS enterprises
ORDER BY division
