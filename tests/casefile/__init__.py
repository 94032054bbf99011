"""Tests of case bags."""
