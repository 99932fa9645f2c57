"""Exhibits and the bundle."""
