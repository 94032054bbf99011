// purpose: one hop of the control and affiliation graph from a frontier of subjects, both directions
// parameters: enterprises (list of uscc), persons (list of pid), overseas (list of entity_id), types (list of relationship types to follow), as_of (date)
// basis: 国发〔2016〕33号 — joint punishment reaches legal representatives, controllers and related parties
// result: one row, `hop`, the list of neighbour maps — one record per neighbour costs the
//         driver twice the time to decode around a hub (36 ms against 23 ms for 1,366 rows)
CALL () {
  UNWIND $enterprises AS key
  MATCH (n:Enterprise {uscc: key})-[r:@control_types]-(m)
  WHERE type(r) IN $types
    AND @valid_on(r)
  RETURN 'Enterprise' AS from_label, key, startNode(r) = n AS outgoing, type(r) AS type, labels(m)[0] AS label,
         coalesce(m.uscc, m.pid, m.entity_id) AS neighbour, m.name AS name, m.country AS country, r.ratio AS ratio, r.role AS role,
         r.kind AS kind
  UNION ALL
  UNWIND $persons AS key
  MATCH (n:Person {pid: key})-[r:@control_types]-(m)
  WHERE type(r) IN $types
    AND @valid_on(r)
  RETURN 'Person' AS from_label, key, startNode(r) = n AS outgoing, type(r) AS type, labels(m)[0] AS label,
         coalesce(m.uscc, m.pid, m.entity_id) AS neighbour, m.name AS name, m.country AS country, r.ratio AS ratio, r.role AS role,
         r.kind AS kind
  UNION ALL
  UNWIND $overseas AS key
  MATCH (n:OverseasEntity {entity_id: key})-[r:@control_types]-(m)
  WHERE type(r) IN $types
    AND @valid_on(r)
  RETURN 'OverseasEntity' AS from_label, key, startNode(r) = n AS outgoing, type(r) AS type, labels(m)[0] AS label,
         coalesce(m.uscc, m.pid, m.entity_id) AS neighbour, m.name AS name, m.country AS country, r.ratio AS ratio, r.role AS role,
         r.kind AS kind
}
RETURN collect({from_label: from_label, key: key, outgoing: outgoing, type: type, label: label,
                neighbour: neighbour, name: name, country: country, ratio: ratio, role: role, kind: kind}) AS hop
