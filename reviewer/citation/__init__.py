"""Exhibits, pin cites and the citation bundle."""
