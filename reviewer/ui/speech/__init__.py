"""Words spoken, in the window: the transcript panel, transcribing, spoken search hits."""
