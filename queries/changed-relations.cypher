// purpose: the ends of control and affiliation relations written (added, changed, ended) since a time
// parameters: since (datetime)
// basis: incremental propagation: a new legal representative of a listed firm is restricted at once
// dialect: the embedded engine reads this one: one scan of the six relation tables (it has no
//          relationship property index) answers in half the time of a branch per label pair;
//          Neo4j reads changed-relations.neo4j.cypher, which seeks each type's updated_at index.
//          An end's label follows from which key it has (uscc, pid or entity_id).
MATCH (a)-[r:@control_types]->(b)
WHERE r.updated_at >= $since
RETURN CASE WHEN a.uscc IS NOT NULL THEN 'Enterprise' WHEN a.pid IS NOT NULL THEN 'Person'
            ELSE 'OverseasEntity' END AS a_label,
       coalesce(a.uscc, a.pid, a.entity_id) AS a,
       CASE WHEN b.uscc IS NOT NULL THEN 'Enterprise' WHEN b.pid IS NOT NULL THEN 'Person'
            ELSE 'OverseasEntity' END AS b_label,
       coalesce(b.uscc, b.pid, b.entity_id) AS b
