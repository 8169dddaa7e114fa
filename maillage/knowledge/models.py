"""Models of knowledge."""
