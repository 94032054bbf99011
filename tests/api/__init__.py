"""Tests of the credit-check service."""
