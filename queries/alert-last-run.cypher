// purpose: the last complete alert run: when it started, its day, the rule files it used, and the days runs of some rules used since
// parameters: none
// basis: 预警 — an incremental run covers everything since the last complete one
MATCH (r:AlertRun {name: 'last'})
RETURN r.started_at AS started_at, r.as_of AS as_of, r.rules_sha256 AS rules_sha256,
       r.days_from AS days_from, r.days_to AS days_to
