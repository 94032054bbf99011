// purpose: remove sanctions that no longer follow from the rules and the entries in force
// parameters: ids (list of sanction_id)
// basis: 信用修复 — nothing derived from a repaired, revoked or expired entry may count
UNWIND $ids AS id
MATCH (s:Sanction {sanction_id: id})
DETACH DELETE s
