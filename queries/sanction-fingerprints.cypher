// purpose: mark written sanctions finished: their content fingerprint, set once their relationships are in
// parameters: rows (list of {id, fingerprint})
// basis: a propagation that dies midway leaves sanctions without a fingerprint, which the next run rewrites
UNWIND $rows AS row
MATCH (s:Sanction {sanction_id: row.id})
SET s.fingerprint = row.fingerprint
