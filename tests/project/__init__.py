"""Tests of the repository as a whole: docs, packaging."""
