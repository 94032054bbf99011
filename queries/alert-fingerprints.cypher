// purpose: which of these evidence fingerprints were raised as alerts already (linked to their case: an alert is written last)
// parameters: fingerprints (list of SHA-256 hex)
// basis: the same evidence never raises a second alert
UNWIND $fingerprints AS fingerprint
MATCH (a:Alert {fingerprint: fingerprint})-[:ALERT_OF]->(:InvestigationCase)
RETURN a.fingerprint AS fingerprint
