"""A replication's own housekeeping: a finished run leaves nothing for the cycle collector."""
from __future__ import annotations

import gc

import pytest

from sim.experiments.simulate import simulate
from sim.model.citizen import Citizen
from sim.model.replication import Model

from ..conftest import scenario


@pytest.mark.parametrize("overrides", [(), ("population.beds=2",), ("study=norway_prepost",)])
def test_a_finished_run_frees_its_citizens_without_the_cycle_collector(overrides):
    """The model pauses Python's cycle collector while it runs and releases the citizens
    still waiting at the end, so reference counting frees them: none is left behind for
    the collector (with few beds some wait for one at the end; a study moves them)."""
    sc = scenario(*overrides)
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        result = simulate(sc, sc.organisation, 0)
        left = sum(isinstance(o, (Citizen, Model)) for o in gc.get_objects())
    finally:
        if was:
            gc.enable()
    assert result.metrics["citizen_years"] > 0
    assert left == 0
