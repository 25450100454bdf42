"""Catchment: what the citizens of a replication share, checked on a model that has not
started (the daily sample, the calendar trend, what it logs and where it counts)."""
from __future__ import annotations

import math

import pytest

from sim.config.units import DAYS_PER_YEAR
from sim.model.catchment import Catchment
from sim.model.names import ADMITTED, DISCHARGE_READY, STABLE, STATES, STUDY_EVENTS

from ..conftest import scenario


def catchment(*overrides: str) -> Catchment:
    sc = scenario("warmup_years=0", "results_years=0.02", *overrides)   # a window of 7.3 days
    return Catchment(sc, sc.care_plan(sc.organisation), 0)


def test_the_daily_sample_records_the_counts_at_each_noon_up_to_now():
    c = catchment()
    c.state_counts[STABLE] = 5
    c.state_counts[ADMITTED] = 2
    c.state_counts[DISCHARGE_READY] = 1
    c.on_intensive = 3
    c.alive.update({1: "a", 2: "b"})
    c.sample(0.4)                  # before the first noon: nothing
    assert c._daily == [] and c.next_sample == 0.5
    c.sample(2.7)                  # the noons of days 0, 1 and 2
    row = tuple(c.state_counts[s] for s in STATES) + (3, 3, 2)   # beds: admitted + ready
    assert c._daily == [(0, *row), (1, *row), (2, *row)] and c.next_sample == 3.5
    c.state_counts[STABLE] = 0
    c.sample(3.5)                  # a noon exactly at a change is sampled (before the change)
    assert c._daily[-1][1 + STATES.index(STABLE)] == 0 and len(c._daily) == 4
    c.sample(1000.0)               # never past the end of the run (7.3 days)
    assert len(c._daily) == 7 and c.next_sample == 7.5


def test_without_a_study_there_is_no_calendar_trend():
    c = catchment()
    assert c.trend is None and c.los_trend(500.0) == 1.0 and c.crisis_trend(500.0) == 1.0


def test_a_calendar_trend_compounds_per_year_from_the_start_of_the_before_period():
    c = catchment("study=norway_prepost", "warmup_years=1", "study.calendar_trend.los_per_year=-0.02",
                  "study.calendar_trend.crises_per_year=0.05")
    start = DAYS_PER_YEAR   # the warm-up; the before period starts after it
    assert c.trend is not None and c.trend[0] == start
    assert c.los_trend(start) == 1.0
    assert c.los_trend(start + 2 * DAYS_PER_YEAR) == pytest.approx(0.98 ** 2)
    assert c.crisis_trend(start + 0.5 * DAYS_PER_YEAR) == pytest.approx(math.sqrt(1.05))


def test_the_event_log_is_kept_as_asked_and_a_study_keeps_what_it_counts():
    assert catchment().events is not None and catchment().logged is None
    assert catchment("event_log=false").events is None
    study = catchment("event_log=false", "study=norway_prepost", "warmup_years=1")
    assert study.events is not None and study.logged == STUDY_EVENTS


def test_each_municipality_counts_in_its_own_recorder_and_the_teams_follow_the_plan():
    sc = scenario("population=horsens_klyngen", "layout=horsens_two_teams")
    c = Catchment(sc, sc.care_plan(sc.organisation), 0)
    assert list(c.recorders) == list(sc.population.municipalities)
    assert len({id(r) for r in c.recorders.values()}) == 4 and c.rec not in c.recorders.values()
    assert [t.name for t in c.network.teams] == ["fact:south", "fact:north"] and c.networks == [c.network]
    assert c.ward.beds == sc.population.beds and c.ward.free == sc.population.beds
