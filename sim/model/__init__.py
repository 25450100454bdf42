"""The discrete-event model: citizens, teams, the ward and the care network.

Reads only :mod:`sim.config`. It knows nothing of study designs, tables or plots.
"""
