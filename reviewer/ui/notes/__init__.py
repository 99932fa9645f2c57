"""Notes: the panel and making notes from where the reviewer is."""
