"""Tests of watches, alert rules, cases."""
