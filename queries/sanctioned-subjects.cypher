// purpose: which of some subjects are under a joint-punishment measure on a date (a granted incentive is no punishment)
// parameters: ids (list of "Label:key" subject ids), as_of (date)
// basis: 国发〔2016〕33号 — the network view colours sanctioned subjects
UNWIND $ids AS id
MATCH (s:Sanction {subject_id: id})
WHERE s.kind <> 'incentive' AND @measure_in_force(s)
RETURN DISTINCT id AS subject_id
