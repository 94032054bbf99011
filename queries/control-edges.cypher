// purpose: every control and affiliation relation valid on a date, as edges
// parameters: as_of (date)
// basis: network risk: dishonesty spreads over control (国发〔2016〕33号)
// note: one branch per label pair, so both dialects read it; overseas entities (境外主体) are
//       subjects of the control graph like firms; one record per relation, the reference the
//       tests hold networkx and risk rank's paged read (control-into-*.cypher) to
MATCH (a:Person)-[r:LEGAL_REP_OF|SHAREHOLDER_OF|EXECUTIVE_OF|ACTUAL_CONTROLLER_OF]->(b:Enterprise)
WHERE @valid_on(r)
RETURN 'Person' AS a_label, a.pid AS a, a.name AS a_name, 'Enterprise' AS b_label, b.uscc AS b, b.name AS b_name
UNION ALL
MATCH (a:Enterprise)-[r:SHAREHOLDER_OF|ACTUAL_CONTROLLER_OF|BRANCH_OF]->(b:Enterprise)
WHERE @valid_on(r)
RETURN 'Enterprise' AS a_label, a.uscc AS a, a.name AS a_name, 'Enterprise' AS b_label, b.uscc AS b, b.name AS b_name
UNION ALL
MATCH (a:Person)-[r:RELATIVE_OF]->(b:Person)
WHERE @valid_on(r)
RETURN 'Person' AS a_label, a.pid AS a, a.name AS a_name, 'Person' AS b_label, b.pid AS b, b.name AS b_name
UNION ALL
MATCH (a:OverseasEntity)-[r:SHAREHOLDER_OF|ACTUAL_CONTROLLER_OF]->(b:Enterprise)
WHERE @valid_on(r)
RETURN 'OverseasEntity' AS a_label, a.entity_id AS a, a.name AS a_name, 'Enterprise' AS b_label, b.uscc AS b, b.name AS b_name
UNION ALL
MATCH (a:Person)-[r:SHAREHOLDER_OF|ACTUAL_CONTROLLER_OF]->(b:OverseasEntity)
WHERE @valid_on(r)
RETURN 'Person' AS a_label, a.pid AS a, a.name AS a_name, 'OverseasEntity' AS b_label, b.entity_id AS b, b.name AS b_name
UNION ALL
MATCH (a:Enterprise)-[r:SHAREHOLDER_OF|ACTUAL_CONTROLLER_OF|BRANCH_OF]->(b:OverseasEntity)
WHERE @valid_on(r)
RETURN 'Enterprise' AS a_label, a.uscc AS a, a.name AS a_name, 'OverseasEntity' AS b_label, b.entity_id AS b, b.name AS b_name
