"""Catchment: what the citizens of a replication share, checked on a model that has not
started (the census, the calendar trend, what it logs and where it counts)."""
from __future__ import annotations

import math

import pytest

from sim.config.units import DAYS_PER_YEAR
from sim.model.catchment import Catchment
from sim.model.names import COUNTED_EVENTS

from ..conftest import scenario


def catchment(*overrides: str) -> Catchment:
    sc = scenario("warmup_years=0", "results_years=0.02", *overrides)   # a window of 7.3 days
    return Catchment(sc, sc.care_plan(sc.organisation), 0)


def test_the_catchment_starts_with_an_empty_census_sampled_up_to_its_end():
    c = catchment()
    assert c.census.citizens == {} and c.census.rows == [] and c.census.end == c.end


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
    assert study.events is not None and study.logged == COUNTED_EVENTS


def test_each_municipality_counts_in_its_own_recorder_and_the_teams_follow_the_plan():
    sc = scenario("population=horsens_klyngen", "layout=horsens_two_teams")
    c = Catchment(sc, sc.care_plan(sc.organisation), 0)
    assert list(c.recorders) == list(sc.population.municipalities)
    assert len({id(r) for r in c.recorders.values()}) == 4 and c.rec not in c.recorders.values()
    assert [t.name for t in c.network.teams] == ["fact:south", "fact:north"] and c.networks == [c.network]
    assert c.ward.beds == sc.population.beds and c.ward.free == sc.population.beds
