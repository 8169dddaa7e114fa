"""Search: one French full-text index over every app's public documents, with facets."""
