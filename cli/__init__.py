"""The ``creditgraph`` command line: a face over graph/, loaders/, queries/ and dashboard/."""
