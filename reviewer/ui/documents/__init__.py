"""The documents: pages, search, and the agency's withheld log."""
