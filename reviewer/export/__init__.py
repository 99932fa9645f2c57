"""Redacted copies of videos and PDFs, and the independent checks that verify them."""
