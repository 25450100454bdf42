"""The model never calls back into the configuration while it is built and runs.

The configuration resolves everything once (a scenario's care plans: sites, staff,
driving); a replication then only reads the frozen objects. Watched with a profiler:
while a model is built and run, no code of ``sim.config`` may run except the frozen
parameters' derived values (their properties, such as a municipality's target group).
"""
from __future__ import annotations

import sys
import types
from functools import cached_property
from pathlib import Path

import sim.config
from sim.model.replication import Model

from ..conftest import scale_staff, scenario

CONFIG = Path(sim.config.__file__).resolve().parent


def _with_nested(code: types.CodeType) -> set[types.CodeType]:
    """A function's code and the code of what it defines inside (a generator expression)."""
    found = {code}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= _with_nested(const)
    return found


def derived_values() -> set[types.CodeType]:
    """The code of every property of the configuration's classes."""
    allowed: set[types.CodeType] = set()
    for path in CONFIG.glob("*.py"):
        module = sys.modules.get(f"sim.config.{path.stem}")
        for cls in vars(module).values() if module else ():
            if not (isinstance(cls, type) and cls.__module__ == module.__name__):
                continue
            for attr in vars(cls).values():
                getter = attr.fget if isinstance(attr, property) else (
                    attr.func if isinstance(attr, cached_property) else None)
                if getter is not None:
                    allowed |= _with_nested(getter.__code__)
    return allowed


def config_calls(run) -> list[str]:
    """The configuration's functions called while ``run()`` runs, other than properties
    and what a property calls to work out its value."""
    allowed, called = derived_values(), set()

    def in_a_property(frame) -> bool:
        while frame is not None:
            if frame.f_code in allowed:
                return True
            frame = frame.f_back
        return False

    def watch(frame, event, _arg):
        code = frame.f_code
        if event == "call" and Path(code.co_filename).resolve().parent == CONFIG and not in_a_property(frame):
            called.add(f"{Path(code.co_filename).name}:{code.co_qualname}")

    sys.setprofile(watch)
    try:
        run()
    finally:
        sys.setprofile(None)
    return sorted(called)


def test_a_replication_reads_its_care_plan_and_calls_nothing_of_the_configuration():
    sc = scenario("replications=1", "warmup_years=0.1", "results_years=0.2")
    plans = [sc.care_plan(org) for org in sc.organisations]
    assert config_calls(lambda: [Model(sc, plan, 0).run() for plan in plans]) == []


def test_a_studys_move_to_a_new_organisation_reads_its_care_plan_too():
    sc = scenario("study=norway_prepost", "study.moves=enrolled", "replications=1", "warmup_years=0.1",
                  "study.pre_months=2", "study.post_months=2", "study.enrolment.lookback_months=2")
    before, after = sc.care_plan(sc.baseline), sc.care_plan(sc.organisation)
    assert config_calls(lambda: Model(sc, before, 0, enrol_into=after).run()) == []


def test_the_watch_sees_a_call_into_the_configuration():
    """The test itself can fail: laying out the care plan, or asking the population for a
    drive, while watched is seen; reading a property is not."""
    sc = scenario()
    pop = sc.population
    assert config_calls(lambda: pop.target_group) == []
    assert "params.py:Population.travel_minutes" in config_calls(lambda: pop.travel_minutes(None, "silkeborg"))
    variant = scale_staff(sc.organisation, 2.0)   # not the scenario's own: its plan is made now
    assert "params.py:plan_care" in config_calls(lambda: sc.care_plan(variant))
