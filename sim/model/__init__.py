"""The discrete-event model: citizens, teams, the ward and the care network.

Reads only :mod:`sim.config`. It knows nothing of study designs, tables or plots.

``CORE`` says which core runs it: the pure-Python modules, or the same modules compiled
by ``make native`` when the compiled ones are fresh (:mod:`sim.model.native`).
"""
from sim.config.errors import exit_bad_input as _exit_bad_input
from sim.model import native as _native

try:
    CORE = _native.activate(__path__)
except _native.CoreError as _err:   # a bad FACTSIM_CORE: one line, exit 2, as for any bad input
    _exit_bad_input("factsim", _err)
