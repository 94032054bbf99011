"""Tests of the creditgraph command and its processes."""
