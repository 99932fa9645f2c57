"""The video: picture, playback, timeline and sound strip."""
