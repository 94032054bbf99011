"""Investigation queries: one .cypher file per question and a thin typed wrapper each.
(Issue: investigation queries.)"""
