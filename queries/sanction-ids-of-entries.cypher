// purpose: the stored sanctions derived from some list entries, to compare with their recomputation
// parameters: entries (list of entry_id)
// basis: 失信联合惩戒 — incremental propagation touches only what the changed entries derive
UNWIND $entries AS entry
MATCH (s:Sanction {entry_id: entry})
RETURN s.sanction_id AS sanction_id, s.fingerprint AS fingerprint, s.entry_id AS entry_id,
       s.valid_to AS valid_to
