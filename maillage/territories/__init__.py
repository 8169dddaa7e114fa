"""Territories: French communes, EPCI, départements and régions, loaded offline."""
