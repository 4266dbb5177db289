"""Indicators of penalty cases (filled in below)."""
