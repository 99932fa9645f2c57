"""Applies edit commands and long jobs to a case; returns what changed."""
