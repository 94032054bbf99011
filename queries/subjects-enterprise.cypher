// purpose: find many enterprises by their unified social credit codes at once (a batch of checks)
// parameters: values (list of string)
// basis: GB 32100-2015
MATCH (n:Enterprise)
WHERE n.uscc IN $values
RETURN 'Enterprise' AS label, n.uscc AS key, n.name AS name
