"""The case store: SQLite through sqlite-utils. All SQL of the project lives here."""
from reviewer.store.db import CaseStore, Tx

__all__ = ["CaseStore", "Tx"]
