// purpose: what the data looked like when a check was answered: list entries and propagated measures, counted, with their latest change
// parameters: none
// basis: a stored credit check (信用核查记录) names the data it was answered from
// (Neo4j: each count from the count store and each latest change from its index, so a check
// costs the same at a million subjects as at a thousand; one aggregation of both would scan)
CALL { MATCH (l:ListEntry) RETURN count(l) AS n }
CALL { MATCH (l:ListEntry) RETURN max(l.updated_at) AS latest }
RETURN 'ListEntry' AS label, n, latest
UNION ALL
CALL { MATCH (s:Sanction) RETURN count(s) AS n }
CALL { MATCH (s:Sanction) RETURN max(s.computed_at) AS latest }
RETURN 'Sanction' AS label, n, latest
