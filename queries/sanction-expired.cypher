// purpose: stored sanctions whose own term ended before a date
// parameters: as_of (date)
// basis: a measure with a term (e.g. 3 years for a serious-violation firm's legal representative) ends with it
MATCH (s:Sanction)
WHERE s.valid_to IS NOT NULL AND s.valid_to < $as_of
RETURN s.sanction_id AS sanction_id
