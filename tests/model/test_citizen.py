"""The citizen's mechanisms, each paid for in staff time actually delivered.

A citizen is made by hand in a small configured model (Silkeborg, cross-sectoral FACT);
its team is given a load that leaves it a known share ``f`` of the work asked of it
(``routine_fulfilment``), and one step of the pathway is asked for. Two citizens with the
same number draw the same random numbers, so a mechanism's effect is read exactly: it
is zero when the team delivers nothing and grows with what it delivers.
"""
from __future__ import annotations

import dataclasses
import math

import pytest

from sim.model.citizen import (
    INTENSIVE_WORK,
    ROUTINE,
    ROUTINE_WORK,
    Attributes,
    Citizen,
)
from sim.model.replication import Model
from sim.model.team import Load

from ..conftest import scenario

ATTRS = Attributes(municipality="silkeborg", age_band="30-49", diagnosis="psychosis", dual_diagnosis=False,
                   severity=1.0, engagement=0.6, prior_admissions=0)
DOSES = (0.0, 0.25, 0.5, 1.0)


def _model(*overrides: str, organisation=None) -> Model:
    sc = scenario(*overrides)
    return Model(sc, sc.care_plan(organisation or sc.organisation), 0)


def deliver(team, f: float, board_full: bool = False) -> None:
    """Load ``team`` so that it delivers the share ``f`` of its work other than intensive
    care (``board_full``: its board has taken all it may, so a scale-up is refused)."""
    if board_full:
        team.change(0.0, INTENSIVE_WORK, Load(0.0, team.intensive_cap, 0.0))
    free = team.capacity - team.intensive_hours
    if f <= 0.0:
        team.change(0.0, INTENSIVE_WORK, Load(0.0, free, 0.0))   # intensive care takes every hour
        team.change(0.0, ROUTINE_WORK, Load(1.0, team.capacity, 0.0))
    elif f < 1.0:
        team.change(0.0, ROUTINE_WORK, Load(1.0, free / f, 0.0))


def citizen_at(f: float, *overrides: str, organisation=None, cid: int = 7, board_full: bool = False) -> Citizen:
    """A citizen whose case-management team delivers the share ``f`` of what it is asked."""
    model = _model(*overrides, organisation=organisation)
    citizen = Citizen(model, cid, ATTRS)
    deliver(citizen.care.case_management, f, board_full)
    assert citizen.care.case_management.routine_fulfilment() == pytest.approx(f)
    return citizen


def test_a_team_delivers_the_share_its_free_time_allows():
    for f in DOSES:
        citizen_at(f)   # the assertion is inside


def test_inreach_shortens_a_stay_in_proportion_to_the_inreach_delivered():
    plain = citizen_at(1.0, organisation=_without_inreach())
    los_without, _ = plain._stay_and_blocking()
    ratio = plain.c.inreach_los_ratio
    for f in DOSES:
        los, _ = citizen_at(f)._stay_and_blocking()
        assert los == pytest.approx(los_without * (1.0 - (1.0 - ratio) * f))
    assert citizen_at(0.0)._stay_and_blocking()[0] == pytest.approx(los_without)   # nothing given, no effect


def _without_inreach():
    sc = scenario()
    teams = {k: dataclasses.replace(t, inreach=False) for k, t in sc.organisation.teams.items()}
    return dataclasses.replace(sc.organisation, teams=teams)


def _planned_stay(f: float, planned: bool):
    """A stay that needs a municipal offer of 30 days, planned from admission or not."""
    citizen = citizen_at(f, "clinical.needs_municipal_offer_prob=1")
    citizen._offer = (True, planned, 30.0)
    return citizen._stay_and_blocking()


def test_discharge_planning_gains_a_head_start_in_proportion_to_the_planning_delivered():
    unplanned_los, unplanned = _planned_stay(1.0, planned=False)
    assert unplanned == 30.0   # without planning the wait starts at discharge
    _, nothing_given = _planned_stay(0.0, planned=True)
    assert nothing_given == 30.0   # planning that no staff can give gains nothing
    waits = []
    for f in DOSES:
        los, blocking = _planned_stay(f, planned=True)
        assert blocking == pytest.approx(max(0.0, 30.0 - los * f))
        waits.append(blocking)
    assert waits == sorted(waits, reverse=True) and waits[-1] < waits[0]


def test_outreach_lowers_dropout_in_proportion_to_the_outreach_delivered():
    rates = []
    for f in DOSES:
        citizen = citizen_at(f)   # the cross-sectoral team is also the outreach team
        assert citizen.care.outreach is citizen.care.case_management
        rates.append(citizen._dropout_rate())
        assert rates[-1] == pytest.approx(citizen.dropout_base * (1 - (1 - citizen.c.outreach_dropout_ratio) * f))
    assert rates[0] == pytest.approx(citizen_at(0.0).dropout_base)   # nothing given, no effect
    assert rates == sorted(rates, reverse=True)


def _refusing(f: float) -> Citizen:
    """An engaged citizen in routine care whose team's board is full (a scale-up is refused)."""
    citizen = citizen_at(f, board_full=True)
    assert not citizen.care.intensive.can_take_intensive(1.0)
    citizen.level, citizen.engaged = ROUTINE, True
    return citizen


def test_standard_support_in_a_crisis_acts_in_proportion_to_the_contacts_delivered():
    c = citizen_at(1.0).c
    admit, coerce = c.admission_prob, c.coercion_prob
    risks = []
    for f in DOSES:
        citizen = _refusing(f)
        p_admit, p_coerce = citizen._crisis_risks()
        assert p_admit == pytest.approx(admit["none"] + (admit["standard"] - admit["none"]) * f)
        assert p_coerce == pytest.approx(coerce["none"] + (coerce["standard"] - coerce["none"]) * f)
        risks.append((p_admit, p_coerce))
    assert risks[0] == pytest.approx((admit["none"], coerce["none"]))   # nothing given: as with no support
    assert risks == sorted(risks, reverse=True)


def test_more_support_never_makes_a_crisis_likelier_to_end_in_admission_or_coercion():
    citizen = citizen_at(1.0)
    intensive = citizen._crisis_risks()      # the board takes them: intensive care
    standard = _refusing(1.0)._crisis_risks()
    out = citizen_at(1.0)
    out.engaged = False
    none = out._crisis_risks()
    for k in (0, 1):
        assert intensive[k] <= standard[k] <= none[k]


def test_detection_by_the_team_grows_with_the_contacts_it_delivers():
    """The escalation time's rate: the team's channel scales with f; with nothing delivered
    only the citizen, a relative or the GP can raise the alarm."""
    times = []
    for f in DOSES:
        citizen = citizen_at(f, "clinical.self_referral_rate_per_year=0")
        citizen.level, citizen.engaged = ROUTINE, True
        times.append(citizen._escalation_time())
    assert math.isinf(times[0])
    assert all(t1 <= t0 for t0, t1 in zip(times[1:], times[2:])) and times[-1] < times[1]


def test_reengagement_by_outreach_grows_with_the_outreach_delivered():
    rates = [citizen_at(f, "clinical.spontaneous_reengagement_mean_days=null")._reengagement_rate() for f in DOSES]
    mean = citizen_at(1.0).care.outreach.spec.reengagement_mean_days
    assert rates == pytest.approx([f / mean for f in DOSES])
    assert rates[0] == 0.0



def test_each_log_entry_names_the_team_responsible_for_the_citizen_then():
    """The log names the ward in the ward, nobody out of contact or gone, and in the
    community the team holding the citizen: the intensive team from a scale-up to its
    end, the case-management team otherwise (fragmented care, where the two differ)."""
    sc = scenario("results_years=2")
    model = _model("results_years=2", organisation=sc.baseline)
    care = model.network.for_municipality("silkeborg")
    assert care.intensive is not care.case_management
    on_intensive: dict[int, bool] = {}
    checked = {"ward": 0, "none": 0, care.intensive.name: 0, care.case_management.name: 0}
    for citizen, _, event, state, sector, team in model.run().log:
        if event == "scale_up":
            on_intensive[citizen] = True
        elif event == "scale_down" or state in ("waiting_for_bed", "admitted", "disengaged"):
            on_intensive[citizen] = False
        if state in ("waiting_for_bed", "admitted", "discharge_ready"):
            assert (sector, team) == ("regional", "ward")
            checked["ward"] += 1
        elif state in ("disengaged", "exit"):
            assert (sector, team) == ("", "")
            checked["none"] += 1
        else:
            holder = care.intensive if on_intensive.get(citizen) else care.case_management
            assert (sector, team) == (holder.sector_label, holder.name), (event, state)
            checked[team] += 1
    assert min(checked.values()) > 0, checked   # every kind of entry was met
