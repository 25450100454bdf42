"""The live workshop app: leaders move the levers and see the consequences in the browser.

    make workshop            # sets up and starts it on http://localhost:8501

A Streamlit page (:mod:`sim.apps.workshop.page`) over the same command line a planner
uses: every choice and lever becomes a Hydra override, checked by the command line's own
validation before anything runs, and run by ``factsim`` itself into an ordinary run
folder under ``outputs/workshop/`` (a configuration already run is served from its
finished folder).
"""
