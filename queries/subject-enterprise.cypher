// purpose: find an enterprise by its unified social credit code
// parameters: value (string)
// basis: GB 32100-2015
MATCH (n:Enterprise {uscc: $value})
RETURN 'Enterprise' AS label, n.uscc AS key, n.name AS name
