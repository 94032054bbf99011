"""Tests of the graph core: backends, store, schema, predicates, identifiers, settings."""
