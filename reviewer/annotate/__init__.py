"""Pure domain values: annotations, redaction tracks, keyframes, geometry. No I/O."""
