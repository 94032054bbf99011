"""Tests of the investigation queries."""
