// purpose: what the data looked like when a check was answered: list entries and propagated measures, counted, with their latest change
// parameters: none
// basis: a stored credit check (信用核查记录) names the data it was answered from
MATCH (l:ListEntry)
RETURN 'ListEntry' AS label, count(l) AS n, max(l.updated_at) AS latest
UNION ALL
MATCH (s:Sanction)
RETURN 'Sanction' AS label, count(s) AS n, max(s.computed_at) AS latest
