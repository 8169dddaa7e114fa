"""Models of forums."""
