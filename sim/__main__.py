"""``python -m sim``: the same as the ``factsim`` command."""
from sim.apps.cli import main

if __name__ == "__main__":
    main()
