"""Models of newsletter."""
