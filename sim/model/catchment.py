"""What the citizens of one replication share: the clock, the ward, the care network, the
recorders, the census of who is where, the event log and the calendar trend.

A citizen (:mod:`sim.model.citizen`) reads and changes this shared state and nothing
else of its replication; :class:`~sim.model.replication.Model` is a catchment that
also brings citizens in, runs the clock and collects the results. ``Catchment[C]``
holds its living citizens as ``C`` (the model's are :class:`~sim.model.citizen.Citizen`),
so this module needs no import of the citizen's.
"""
from __future__ import annotations

import math
from typing import Generic, TypeVar

import simpy

from sim.config.params import CarePlan, Scenario
from sim.config.units import DAYS_PER_YEAR
from sim.model.care_network import CareNetwork
from sim.model.census import Census
from sim.model.event_log import EventLog
from sim.model.names import COUNTED_EVENTS
from sim.model.recorder import Recorder
from sim.model.streams import CitizenBlocks
from sim.model.ward import Ward

C = TypeVar("C")   # the catchment's citizens


class Catchment(Generic[C]):
    """One replication's catchment as its citizens meet it, under the care plan ``plan``."""

    def __init__(self, scenario: Scenario, plan: CarePlan, replication: int):
        self.scenario = scenario
        self.population = scenario.population
        self.clinical = scenario.clinical
        self.organisation = plan.organisation
        self.seed = scenario.seed
        self.replication = replication
        self.env = simpy.Environment()
        self.warmup, self.end = scenario.window
        self.rec = Recorder(self.warmup, self.end)   # the teams' totals
        # each municipality's citizens count into their own recorder: outcomes per municipality
        self.recorders = {m: Recorder(self.warmup, self.end) for m in self.population.municipalities}
        self.plan = plan
        self.network = CareNetwork(plan, self.clinical, self.rec)
        self.networks = [self.network]
        # municipalities whose entrants another network serves (a roll-out's started sites)
        self.serving: dict[str, CareNetwork] = {}
        self.ward = Ward(self.env, self.population.beds)
        # a study's calendar trend: (its start day, log growth per day of stays, of deteriorations)
        self.trend: tuple[float, float, float] | None = None
        start = scenario.trend_start
        if start is not None and scenario.study is not None:
            trend = scenario.study.calendar_trend
            self.trend = (start, math.log1p(trend.los_per_year) / DAYS_PER_YEAR,
                          math.log1p(trend.crises_per_year) / DAYS_PER_YEAR)
        self.census: Census[C] = Census(self.end)   # who is where, sampled daily
        counted = scenario.study is not None or scenario.rollout is not None
        self.events: EventLog | None = EventLog() if (scenario.event_log or counted) else None
        # without an event log, a study's or a roll-out's run logs only the events it counts
        self.logged: frozenset[str] | None = None if scenario.event_log else COUNTED_EVENTS
        self.blocks = CitizenBlocks(self.seed, replication)   # the citizens' first random numbers

    def network_for(self, municipality: str) -> CareNetwork:
        """The care network that takes in a new citizen of ``municipality``."""
        return self.serving.get(municipality, self.network)

    def los_trend(self, now: float) -> float:
        """How many times as long a stay starting ``now`` is for the calendar trend (1: none)."""
        trend = self.trend
        return 1.0 if trend is None else math.exp(trend[1] * (now - trend[0]))

    def crisis_trend(self, now: float) -> float:
        """How many times as frequent deteriorations are ``now`` for the calendar trend (1: none)."""
        trend = self.trend
        return 1.0 if trend is None else math.exp(trend[2] * (now - trend[0]))
