"""Watches, alert rules and cases: the graph tells investigators when something changes, and
their work on it is tracked (rules.yaml, evaluate.py, cases.py, watches.py)."""
