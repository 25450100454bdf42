"""factsim: a discrete-event simulation of the pathways of citizens with severe mental
illness under different organisations of care.

Subpackages, each importing only those listed before it:
:mod:`sim.config` (parameters and validation), :mod:`sim.model` (the simulation),
:mod:`sim.experiments` (replications and study designs), :mod:`sim.output` (tables,
plots, reports), :mod:`sim.research` (calibration, sensitivity), :mod:`sim.apps`
(command lines).
"""
from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("factsim")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
