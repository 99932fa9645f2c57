"""The case's people in the window: the list, the names finder's proposals, and redacting a
person's names."""
