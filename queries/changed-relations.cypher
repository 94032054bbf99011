// purpose: the ends of control and affiliation relations written (added, changed, ended) since a time
// parameters: since (datetime)
// basis: incremental propagation: a new legal representative of a listed firm is restricted at once
// note: one branch per relationship type and label pair, so both dialects read it and Neo4j
//       seeks each type's updated_at index instead of scanning every relation
MATCH (a:Person)-[r:LEGAL_REP_OF]->(b:Enterprise) WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Person)-[r:SHAREHOLDER_OF]->(b:Enterprise) WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Enterprise)-[r:SHAREHOLDER_OF]->(b:Enterprise) WHERE r.updated_at >= $since
RETURN 'Enterprise' AS a_label, a.uscc AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Person)-[r:EXECUTIVE_OF]->(b:Enterprise) WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Person)-[r:ACTUAL_CONTROLLER_OF]->(b:Enterprise) WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Enterprise)-[r:ACTUAL_CONTROLLER_OF]->(b:Enterprise) WHERE r.updated_at >= $since
RETURN 'Enterprise' AS a_label, a.uscc AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Enterprise)-[r:BRANCH_OF]->(b:Enterprise) WHERE r.updated_at >= $since
RETURN 'Enterprise' AS a_label, a.uscc AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Person)-[r:RELATIVE_OF]->(b:Person) WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'Person' AS b_label, b.pid AS b
UNION ALL
MATCH (a:OverseasEntity)-[r:SHAREHOLDER_OF]->(b:Enterprise) WHERE r.updated_at >= $since
RETURN 'OverseasEntity' AS a_label, a.entity_id AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Person)-[r:SHAREHOLDER_OF]->(b:OverseasEntity) WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'OverseasEntity' AS b_label, b.entity_id AS b
UNION ALL
MATCH (a:Enterprise)-[r:SHAREHOLDER_OF]->(b:OverseasEntity) WHERE r.updated_at >= $since
RETURN 'Enterprise' AS a_label, a.uscc AS a, 'OverseasEntity' AS b_label, b.entity_id AS b
UNION ALL
MATCH (a:OverseasEntity)-[r:ACTUAL_CONTROLLER_OF]->(b:Enterprise) WHERE r.updated_at >= $since
RETURN 'OverseasEntity' AS a_label, a.entity_id AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Person)-[r:ACTUAL_CONTROLLER_OF]->(b:OverseasEntity) WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'OverseasEntity' AS b_label, b.entity_id AS b
UNION ALL
MATCH (a:Enterprise)-[r:ACTUAL_CONTROLLER_OF]->(b:OverseasEntity) WHERE r.updated_at >= $since
RETURN 'Enterprise' AS a_label, a.uscc AS a, 'OverseasEntity' AS b_label, b.entity_id AS b
UNION ALL
MATCH (a:Enterprise)-[r:BRANCH_OF]->(b:OverseasEntity) WHERE r.updated_at >= $since
RETURN 'Enterprise' AS a_label, a.uscc AS a, 'OverseasEntity' AS b_label, b.entity_id AS b
