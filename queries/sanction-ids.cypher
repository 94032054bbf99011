// purpose: the stored sanctions and their content fingerprints, to compare with a recomputation
// parameters: (none)
// basis: 失信联合惩戒 — propagation rewrites only what changed
MATCH (s:Sanction)
RETURN s.sanction_id AS sanction_id, s.fingerprint AS fingerprint, s.entry_id AS entry_id,
       s.valid_to AS valid_to
