"""The people of a case: every form a production writes a person's name in (reviewer.names.forms)
and a finder that proposes the names the case's list lacks (reviewer.names.finder)."""
