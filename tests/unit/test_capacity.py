"""Capacity counts as a cost: an overloaded team, contacts lost and waits for a bed are
key figures in plain words; hours used are never a gain; a change from zero is levels."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from sim.output import capacity
from sim.output.report import key_figures

LABELS = {"fragmented": "Fragmenteret indsats", "fact": "Tværsektorielt FACT-team"}


def tables(utilisation: float = 1.0, routine_lost: float = 4100.0):
    """A comparison, summary and team summary of a run where the FACT team is overloaded and
    loses routine contacts the fragmented services never lost, and uses fewer staff hours."""
    summary = [
        ("fragmented", "staff_utilisation", 0.69, 0.66, 0.72), ("fact", "staff_utilisation", utilisation,
                                                                utilisation, utilisation),
        ("fragmented", "staff_fte_regional", 7.6, 7.6, 7.6), ("fact", "staff_fte_regional", 7.6, 7.6, 7.6),
        ("fragmented", "staff_fte_municipal", 8.0, 8.0, 8.0), ("fact", "staff_fte_municipal", 8.0, 8.0, 8.0),
        ("fragmented", "contacts_asked_routine", 39000, 38000, 40000),
        ("fact", "contacts_asked_routine", 8367, 8000, 8700),
        ("fragmented", "contacts_lost_routine", 0, 0, 0), ("fact", "contacts_lost_routine", routine_lost,
                                                           routine_lost - 300, routine_lost + 300),
    ]
    summary = pd.DataFrame(summary, columns=["organisation", "metric", "mean", "ci_lower", "ci_upper"])
    comparison = pd.DataFrame([
        # hours used fall by 58 %: idle time, never a gain
        ("staff_hours_regional", -58, -60, -56, 32839, 13792, -19047, -19500, -18500),
        ("bed_days_per_citizen_year", -20, -25, -15, 16.0, 12.8, -3.2, -4, -2.4),
        # a change from zero: levels, not "not defined"
        ("bed_wait_days", float("nan"), float("nan"), float("nan"), 0.0, 4100.0, 4100.0, 3800.0, 4400.0),
        ("contacts_lost_routine", float("nan"), float("nan"), float("nan"), 0.0, routine_lost, routine_lost,
         routine_lost - 300, routine_lost + 300),
    ], columns=["metric", "change_pct", "change_pct_ci_lower", "change_pct_ci_upper", "baseline_mean",
                "organisation_mean", "difference", "difference_ci_lower", "difference_ci_upper"])
    comparison = comparison.assign(organisation="fact", baseline="fragmented")
    teams = pd.DataFrame([("fragmented", "outpatient", "outpatient", "staff_utilisation", 0.7),
                          ("fact", "fact", "fact", "staff_utilisation", utilisation)],
                         columns=["network", "team", "team_kind", "metric", "mean"])
    return comparison, summary, teams


def columns(page: str) -> dict[str, str]:
    """The text under each heading of the key figures (gains, costs, unclear, staff)."""
    parts = re.split(r"<h3 class='(gains|costs|unclear|staff)'>", page)
    return {name: re.sub(r"<[^>]+>", " ", chunk.split("<h3")[0]) for name, chunk in zip(parts[1::2], parts[2::2])}


def test_an_overloaded_team_is_a_cost_and_a_warning_in_plain_danish():
    comparison, summary, teams = tables()
    page = key_figures(comparison, summary, LABELS, "da", "covers_noise", teams=teams, threshold=0.95,
                       team_names={"fact": "Tværsektorielt FACT-team", "outpatient": "Psykoseklinik"})
    text = columns(page)
    assert "Teamet er overbelastet: 49 % af rutinekontakterne gives ikke" in text["costs"]
    assert "fra 0 til 4.100 tabte rutinekontakter" in text["costs"]
    warning = re.search(r"<div class='warning'[^>]*>([^<]*)</div>", page)
    assert warning and page.index(warning.group(0)) < page.index("<h3")   # the headline, first
    assert "Tværsektorielt FACT-team er overbelastet" in warning.group(1) and "100 %" in warning.group(1)


def test_hours_used_are_never_a_gain_and_staff_are_shown_as_fte_paid():
    comparison, summary, teams = tables()
    for lang, hours in (("da", "personaletimer"), ("en", "staff hours")):
        page = key_figures(comparison, summary, LABELS, lang, "covers_noise", teams=teams, threshold=0.95)
        text = columns(page)
        assert hours not in text["gains"] and hours not in text.get("unclear", "") and hours not in text["costs"]
        assert "sengedage" in text["gains"] if lang == "da" else "bed days" in text["gains"]
    staff = columns(key_figures(comparison, summary, LABELS, "da", "covers_noise", teams=teams))["staff"]
    assert "15,6 årsværk (7,6 regionale og 8,0 kommunale)" in staff and "100 % af den betalte tid" in staff


def test_a_change_from_zero_is_stated_as_levels_never_as_not_defined():
    comparison, summary, teams = tables()
    page = key_figures(comparison, summary, LABELS, "da", "covers_noise", teams=teams)
    assert "ikke defineret" not in page
    assert "Dage med ventetid på en seng: fra 0 til 4.100 i perioden" in columns(page)["costs"]


@pytest.mark.parametrize("threshold, overloaded", [(0.95, True), (0.99, False)])
def test_the_overload_threshold_is_the_runs_own(threshold, overloaded):
    comparison, summary, teams = tables(utilisation=0.97, routine_lost=0.0)
    page = key_figures(comparison, summary, LABELS, "da", "covers_noise", teams=teams, threshold=threshold)
    assert ("overbelastet" in page) == overloaded


def test_the_shipped_threshold_is_data_with_a_source():
    from ..conftest import scenario
    sc = scenario()
    assert capacity.threshold_of(sc) == 0.95
    assert capacity.threshold_of(scenario("economy.overload_utilisation=0.9")) == 0.9
