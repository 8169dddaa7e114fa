"""Maps: server-side clustered map data, the map pages and the embeddable map."""
