// purpose: find an enterprise by a legacy organisation code (positions 9-17 of its USCC)
// parameters: value (string)
// basis: GB 11714 / GB 32100-2015
MATCH (n:Enterprise {org_code: $value})
RETURN 'Enterprise' AS label, n.uscc AS key, n.name AS name
