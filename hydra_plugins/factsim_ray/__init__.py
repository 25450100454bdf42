"""factsim's Hydra launcher on Ray (see launcher.py)."""
