"""Models of opendata."""
