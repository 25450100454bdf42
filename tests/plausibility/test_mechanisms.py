"""Mechanisms act in either direction: the benefit comes from continuity, not from
intensity alone (issue: "every mechanism can act in either direction").

Cross-sectoral FACT as shipped delivers *fewer* routine contacts than fragmented care
(one home visit every other week against a clinic visit and a municipal visit), yet
ends with fewer bed days: one team, one plan, shared information, no hand-over when
intensity changes, in-reach. Fragmented care given twice the contacts (and twice the
staff to give them) but no continuity gains little.
"""
from __future__ import annotations

import dataclasses

import pytest

from sim.experiments.results import compare
from sim.experiments.runner import run_study

from ..conftest import scale_staff, scenario

SETTINGS = ("replications=8", "warmup_years=1", "results_years=3", "n_jobs=2", "event_log=false")


def more_contacts(org):
    """Fragmented care with twice the routine contacts and twice the staff to give them."""
    doubled = scale_staff(org, 2.0)
    teams = {name: dataclasses.replace(t, routine_contacts_per_week=2 * t.routine_contacts_per_week)
             for name, t in doubled.teams.items()}
    return dataclasses.replace(doubled, name="fragmented_more_contacts", teams=teams)


@pytest.fixture(scope="module")
def changes():
    sc = scenario(*SETTINGS, quick=False)
    sc = dataclasses.replace(sc, organisation=sc.organisation)
    fact = run_study(sc, progress=False).results
    more = run_study(dataclasses.replace(sc, organisation=more_contacts(sc.baseline)), progress=False).results
    out = {}
    for name, results in (("fact", fact), ("more", more)):
        c = compare(results, sc.baseline.name).set_index("metric")
        out[name] = c
    return out


def _change(table, metric):
    return table.loc[metric, "change_pct"]


def test_fewer_contacts_with_continuity_end_with_fewer_bed_days(changes):
    fact = changes["fact"]
    assert _change(fact, "contacts_delivered") < -5
    assert fact.loc["bed_days_per_citizen_year", "change_pct_ci_upper"] < 0


def test_more_contacts_without_continuity_gain_little(changes):
    more, fact = changes["more"], changes["fact"]
    assert _change(more, "contacts_delivered") > 50
    assert abs(_change(more, "bed_days_per_citizen_year")) < abs(_change(fact, "bed_days_per_citizen_year")) / 2
