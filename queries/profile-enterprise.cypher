// purpose: an enterprise's identity and codes, legacy ones included
// parameters: key (uscc)
// basis: GB 32100-2015 and the old-to-new code mapping of the 2016 plan
MATCH (n:Enterprise {uscc: $key})
RETURN n.uscc AS uscc, n.name AS name, n.reg_no AS reg_no, n.org_code AS org_code,
       n.tax_no AS tax_no, n.entity_type AS entity_type, n.division AS division,
       n.address AS address, n.phone AS phone, n.established AS established,
       n.status AS status, n.industry AS industry, n.registered_capital AS registered_capital,
       n.code_warning AS code_warning
