"""Tests of users, roles, API keys, the audit log."""
