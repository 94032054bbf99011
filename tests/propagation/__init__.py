"""Tests of joint punishment."""
