"""Tests of lists, windows, repair, 双公示, reports, statistics."""
