"""Maillage: a platform for networks of territorial actors."""
