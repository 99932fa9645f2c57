"""PDF reading, text search, rendering and withheld-region detection (PyMuPDF lives here)."""
