// purpose: major penalties of enterprises in a window (for procurement, bond and subsidy screening)
// parameters: keys (list of uscc), since (date), as_of (date), categories (list), min_fine (float, 万元)
// basis: 政府采购法 art. 22 — no major violation record in the three years before
UNWIND $keys AS key
MATCH (p:Penalty)-[:PENALIZED]->(e:Enterprise {uscc: key})
WHERE p.decision_date > $since AND p.decision_date <= $as_of
  AND (p.category IN $categories OR p.fine_amount >= $min_fine)
RETURN key, p.decision_no AS decision_no, p.decision_date AS decision_date,
       p.category AS category, p.fine_amount AS fine_amount, p.authority AS authority
ORDER BY key, decision_date
