// purpose: find an enterprise by its legacy business registration number
// parameters: value (string)
// basis: the old-to-new code mapping the 2016 plan required
MATCH (n:Enterprise {reg_no: $value})
RETURN 'Enterprise' AS label, n.uscc AS key, n.name AS name
