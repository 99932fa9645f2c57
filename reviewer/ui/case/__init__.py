"""The open case: its items, reads for the views, long jobs, preferences."""
