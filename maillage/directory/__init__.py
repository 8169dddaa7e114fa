"""Directory: people (the "CVthèque des valeurs"), organisations, initiatives, themes."""
