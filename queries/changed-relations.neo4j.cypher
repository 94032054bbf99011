// purpose: the ends of control and affiliation relations written (added, changed, ended) since a time
// parameters: since (datetime)
// basis: incremental propagation: a new legal representative of a listed firm is restricted at once
// dialect: Neo4j's planner prefers scanning Person and expanding over a range seek of the
//          relationship index (2.3 s against milliseconds at 1M firms), hence the hints;
//          the embedded engine has no such indexes and reads changed-relations.cypher
MATCH (a:Person)-[r:LEGAL_REP_OF]->(b:Enterprise) USING INDEX r:LEGAL_REP_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Person)-[r:SHAREHOLDER_OF]->(b:Enterprise) USING INDEX r:SHAREHOLDER_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Enterprise)-[r:SHAREHOLDER_OF]->(b:Enterprise) USING INDEX r:SHAREHOLDER_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Enterprise' AS a_label, a.uscc AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Person)-[r:EXECUTIVE_OF]->(b:Enterprise) USING INDEX r:EXECUTIVE_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Person)-[r:ACTUAL_CONTROLLER_OF]->(b:Enterprise) USING INDEX r:ACTUAL_CONTROLLER_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Enterprise)-[r:ACTUAL_CONTROLLER_OF]->(b:Enterprise) USING INDEX r:ACTUAL_CONTROLLER_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Enterprise' AS a_label, a.uscc AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Enterprise)-[r:BRANCH_OF]->(b:Enterprise) USING INDEX r:BRANCH_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Enterprise' AS a_label, a.uscc AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Person)-[r:RELATIVE_OF]->(b:Person) USING INDEX r:RELATIVE_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'Person' AS b_label, b.pid AS b
UNION ALL
MATCH (a:OverseasEntity)-[r:SHAREHOLDER_OF]->(b:Enterprise) USING INDEX r:SHAREHOLDER_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'OverseasEntity' AS a_label, a.entity_id AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Person)-[r:SHAREHOLDER_OF]->(b:OverseasEntity) USING INDEX r:SHAREHOLDER_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'OverseasEntity' AS b_label, b.entity_id AS b
UNION ALL
MATCH (a:Enterprise)-[r:SHAREHOLDER_OF]->(b:OverseasEntity) USING INDEX r:SHAREHOLDER_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Enterprise' AS a_label, a.uscc AS a, 'OverseasEntity' AS b_label, b.entity_id AS b
UNION ALL
MATCH (a:OverseasEntity)-[r:ACTUAL_CONTROLLER_OF]->(b:Enterprise) USING INDEX r:ACTUAL_CONTROLLER_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'OverseasEntity' AS a_label, a.entity_id AS a, 'Enterprise' AS b_label, b.uscc AS b
UNION ALL
MATCH (a:Person)-[r:ACTUAL_CONTROLLER_OF]->(b:OverseasEntity) USING INDEX r:ACTUAL_CONTROLLER_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Person' AS a_label, a.pid AS a, 'OverseasEntity' AS b_label, b.entity_id AS b
UNION ALL
MATCH (a:Enterprise)-[r:ACTUAL_CONTROLLER_OF]->(b:OverseasEntity) USING INDEX r:ACTUAL_CONTROLLER_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Enterprise' AS a_label, a.uscc AS a, 'OverseasEntity' AS b_label, b.entity_id AS b
UNION ALL
MATCH (a:Enterprise)-[r:BRANCH_OF]->(b:OverseasEntity) USING INDEX r:BRANCH_OF(updated_at)
WHERE r.updated_at >= $since
RETURN 'Enterprise' AS a_label, a.uscc AS a, 'OverseasEntity' AS b_label, b.entity_id AS b
