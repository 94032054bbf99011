// purpose: enterprise counts by registering division, for the overview
// parameters: (none)
// basis: the plan's district-level credit construction targets
MATCH (e:Enterprise)
RETURN e.division AS division, count(*) AS enterprises
ORDER BY division
