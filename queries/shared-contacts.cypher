// purpose: enterprises that share an address or a phone number (possible undeclared association)
// parameters: min_size (integer)
// basis: 关联关系排查 — common registered address / contact without a declared relation
MATCH (e:Enterprise)
WHERE e.address IS NOT NULL
WITH e.address AS value, collect(e.uscc) AS firms
WHERE size(firms) >= $min_size
RETURN 'address' AS shared, value, firms
UNION ALL
MATCH (e:Enterprise)
WHERE e.phone IS NOT NULL
WITH e.phone AS value, collect(e.uscc) AS firms
WHERE size(firms) >= $min_size
RETURN 'phone' AS shared, value, firms
