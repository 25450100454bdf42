"""factsim's optimising Hydra sweeper on Optuna (see sweeper.py)."""
