"""The names in one place: states, totals and events agree with each other and with
what the citizen counts, so a name missing in one place fails here, not as a zero."""
from __future__ import annotations

from sim.model import names
from sim.model.citizen import STATE_DAYS, WARD_STATES
from sim.model.recorder import Recorder


def test_every_state_adds_its_days_to_one_total_and_the_bed_states_are_states():
    assert set(STATE_DAYS) == set(names.STATES) and len(set(STATE_DAYS.values())) == len(names.STATES)
    assert set(STATE_DAYS.values()) <= set(names.SPANS)
    assert set(names.IN_BED) <= WARD_STATES <= set(names.STATES)
    assert names.EXIT not in names.STATES and len(set(names.STATES)) == len(names.STATES)


def test_totals_are_unique_and_every_kind_of_work_has_its_asked_and_delivered():
    assert len(set(names.TOTALS)) == len(names.TOTALS)
    for kind in names.WORK:
        assert {f"asked_{kind}", f"delivered_{kind}"} <= set(names.TEAM_TOTALS)
    assert set(Recorder(0.0, 1.0).totals) == set(names.TOTALS)


def test_what_a_study_counts_is_logged_and_admissions_open_a_stay():
    assert names.STUDY_EVENTS <= names.EVENTS and names.STAY_EVENTS <= names.EVENTS
    assert set(names.ADMISSION_EVENTS) <= names.STAY_EVENTS and "crisis" in names.STUDY_EVENTS
