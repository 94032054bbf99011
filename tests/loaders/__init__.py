"""Tests of registry exports into the graph."""
