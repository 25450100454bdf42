"""Team: staff as capacity (mechanism 7), checked against hand computation."""
from __future__ import annotations

import dataclasses

import pytest

from sim.model.names import WORK
from sim.model.recorder import Recorder
from sim.model.team import Load, Team

from ..conftest import scenario

ROUTINE, INREACH, PLANNING, OUTREACH, INTENSIVE = (WORK.index(k) for k in
                                                   ("routine", "inreach", "planning", "outreach", "intensive"))


@pytest.fixture(scope="module")
def spec():
    """The cross-sectoral FACT team as shipped (7.8 FTE per 100: 0.4 + 3.4 regional, 4.0 municipal)."""
    return scenario().organisation.teams["fact"]


def make(spec, citizens=100.0, start=0.0, end=1e9, travel=30.0):
    return Team("fact", spec, citizens, {"silkeborg": travel}, 60.0, Recorder(start, end))


def test_capacity_is_fte_times_hours_less_time_pulled_back_times_direct_share(spec):
    team = make(spec, citizens=50.0)
    fte = sum(m.fte_per_100 for m in spec.staffing.values()) * 0.5
    hours = sum(m.fte_per_100 * 0.5 * m.hours_per_week * (1 - spec.pulled_back_share.get(m.sector, 0.0))
                for m in spec.staffing.values())
    assert sum(team.fte_by_sector.values()) == pytest.approx(fte)
    assert team.capacity == pytest.approx(hours * spec.direct_care_share)
    assert team.intensive_cap == pytest.approx(team.capacity * spec.max_intensive_share)
    assert team.sector_share["regional"] == pytest.approx(3.8 / 7.8)


def test_a_contact_at_home_adds_the_round_trip(spec):
    team = make(spec, travel=45.0)
    assert team.contact_hours("silkeborg", True) == pytest.approx((1.75, 0.75))
    assert team.contact_hours("silkeborg", False) == pytest.approx((1.0, 0.0))


def test_routine_contacts_get_what_intensive_care_leaves(spec):
    team = make(spec)
    cap = team.capacity
    team.change(0.0, ROUTINE, Load(10.0, cap * 0.5, 0.0))
    team.change(0.0, INTENSIVE, Load(4.0, cap * 0.75, 0.0))
    assert team.routine_fulfilment() == pytest.approx(0.25 / 0.5)
    team.change(0.0, INTENSIVE, Load(-4.0, -cap * 0.75, 0.0))
    assert team.routine_fulfilment() == 1.0


def test_every_kind_of_work_but_intensive_care_shares_what_is_left(spec):
    """In-reach, planning and outreach are paid from the same time as routine contacts:
    asked beyond what intensive care leaves, each kind gets the same share of what it asks."""
    team = make(spec, start=0.0, end=70.0)
    cap = team.capacity
    team.change(0.0, INTENSIVE, Load(2.0, cap * 0.5, 0.0))
    team.change(0.0, ROUTINE, Load(6.0, cap * 0.5, 0.0))
    team.change(0.0, INREACH, Load(2.0, cap * 0.25, 0.0))
    team.change(0.0, OUTREACH, Load(2.0, cap * 0.25, 0.0))
    assert team.routine_fulfilment() == pytest.approx(0.5)    # half the capacity for twice as much
    team.close(70.0)
    t = team.rec.totals
    for kind, asked in (("routine", 60.0), ("inreach", 20.0), ("outreach", 20.0)):
        assert t[f"asked_{kind}"] == pytest.approx(asked)
        assert t[f"delivered_{kind}"] == pytest.approx(asked / 2)
    assert t["asked_intensive"] == t["delivered_intensive"] == pytest.approx(20.0)
    assert t["asked_planning"] == t["delivered_planning"] == 0.0
    assert t["contacts_lost"] == pytest.approx(50.0)


def test_a_scale_up_is_refused_beyond_the_boards_share(spec):
    team = make(spec)
    assert team.can_take_intensive(team.intensive_cap)
    assert not team.can_take_intensive(team.intensive_cap * 1.01)
    nobody = make(dataclasses.replace(spec, staff={k: dataclasses.replace(m, fte_per_100=0.0)
                                                   for k, m in spec.staff.items()}))
    assert not nobody.can_take_intensive(0.0) and nobody.routine_fulfilment() == 0.0


def test_hours_and_lost_contacts_integrate_exactly_over_the_results_window(spec):
    team = make(spec, start=7.0, end=21.0)
    cap = team.capacity
    # from day 0: twice the capacity in routine contacts (10 a week, 2 x cap hours)
    team.change(0.0, ROUTINE, Load(10.0, 2 * cap, 1.0))
    team.change(14.0, ROUTINE, Load(-10.0, -2 * cap, -1.0))  # everyone leaves on day 14
    team.close(28.0)
    t = team.rec.totals
    weeks_loaded, weeks_open = 1.0, 2.0     # day 7-14 loaded, 7-21 in the window
    assert t["staff_hours_regional"] + t["staff_hours_municipal"] == pytest.approx(cap * weeks_loaded)
    assert t["contacts_delivered"] == pytest.approx(5.0 * weeks_loaded)
    assert t["contacts_lost"] == pytest.approx(5.0 * weeks_loaded)
    assert t["driving_hours"] == pytest.approx(0.5 * weeks_loaded)
    assert t["staff_hours_available"] == pytest.approx(cap * weeks_open)
    assert team.routine_hours == 0.0 and team.contacts[ROUTINE] == 0.0   # no float drift left
