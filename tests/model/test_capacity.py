"""The capacity check: what a team's staff give against what its contact pattern asks,
per week, checked by hand for Silkeborg (199.8 citizens of the target group)."""
from __future__ import annotations

import math

import pytest

from sim.model.capacity import TeamCapacity, team_capacity

from ..conftest import scenario

CITIZENS = 74000 * 2.7 / 1000   # population/silkeborg.yaml: adults x prevalence per 1,000


@pytest.fixture(scope="module")
def silkeborg():
    return scenario()


def test_a_fact_team_checked_by_hand(silkeborg):
    """organisation/fact_crosssector.yaml: 7.8 FTE per 100 at 37 h, 10 % pulled back, 60 %
    for citizens; half a home visit a week of 60 minutes plus a 40-minute round trip;
    the board may take 30 %."""
    (fact,) = team_capacity(silkeborg.care_plan(silkeborg.organisation), silkeborg.clinical)
    capacity = 7.8 * CITIZENS / 100 * 37 * 0.9 * 0.6
    assert fact.citizens == pytest.approx(CITIZENS)
    assert fact.fte == pytest.approx(7.8 * CITIZENS / 100)
    assert fact.capacity_hours == pytest.approx(capacity)
    assert fact.routine_hours == pytest.approx(0.5 * CITIZENS * (60 + 40) / 60)
    assert fact.driving_hours == pytest.approx(0.5 * CITIZENS * 40 / 60)
    assert fact.board_hours == pytest.approx(0.3 * capacity)
    assert fact.demand_share == pytest.approx((fact.routine_hours + 0.3 * capacity) / capacity)
    assert fact.covers == ("silkeborg",) and fact.case_management and fact.warning() is None


def test_fragmented_care_clinic_visits_have_no_drive_and_the_acute_team_no_routine(silkeborg):
    teams = {t.team: t for t in team_capacity(silkeborg.care_plan(silkeborg.baseline), silkeborg.clinical)}
    clinic, acute = teams["outpatient"], teams["acute"]
    assert clinic.routine_hours == pytest.approx(0.5 * CITIZENS * 60 / 60)   # at the clinic: no drive
    assert clinic.driving_hours == 0.0 and clinic.board_hours == 0.0         # the clinic takes no scale-ups
    assert acute.routine_hours == 0.0 and acute.routine_shortfall == 0.0
    share = silkeborg.baseline.teams["acute"].max_intensive_share
    assert acute.board_hours == pytest.approx(acute.capacity_hours * share)


def row(capacity: float, routine: float, board: float) -> TeamCapacity:
    return TeamCapacity("org", "team", "Team", 100.0, 1.0, capacity, routine, board, 0.0)


def test_the_shortfall_is_what_the_board_leaves_short_of_the_routine_hours():
    assert row(100.0, 60.0, 30.0).routine_shortfall == 0.0
    short = row(100.0, 80.0, 40.0)   # the board leaves 60 of the 80 routine hours: a quarter lost
    assert short.routine_shortfall == pytest.approx(0.25)
    assert short.demand_share == pytest.approx(1.2)
    assert "about 25 % of routine contacts are lost" in short.warning()
    assert row(0.0, 10.0, 0.0).demand_share == math.inf and row(0.0, 0.0, 0.0).demand_share == 0.0
    assert row(0.0, 10.0, 0.0).routine_shortfall == 1.0


def test_fewer_staff_than_the_contacts_need_warn(silkeborg):
    sc = scenario("organisation.teams.fact.staff.regional_case_manager.fte_per_100=0.5",
                  "organisation.teams.fact.staff.municipal_case_manager.fte_per_100=0.5")
    (fact,) = team_capacity(sc.care_plan(sc.organisation), sc.clinical)
    assert fact.routine_shortfall > 0 and fact.warning().startswith("capacity: fact_crosssector team 'fact'")
