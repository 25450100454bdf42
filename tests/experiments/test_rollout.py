"""A roll-out's projection by calendar year, checked against hand-made logs, and the
plan's bad input refused in one line before anything is written."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.experiments.rollout import fte_by_year, project, summarise_projection

from ..conftest import assert_one_line_error, scenario

ROOT = Path(__file__).resolve().parents[2]
PLAN = ("rollout=silkeborg", "rollout.last_year=2026", "warmup_years=1", "replications=1")
Y1, Y2 = 365.0, 730.0   # 1 January 2025 and 2026 as days of a run with a year's warm-up


def hand_made():
    sc = scenario(*PLAN)
    municipality = next(iter(sc.population.municipalities))
    citizens = pd.DataFrame({"citizen": [1, 2], "municipality": [municipality] * 2,
                             "entered": [0.0, Y1 + 100.0], "exit_time": [np.inf, Y1 + 200.0]})
    events = pd.DataFrame([
        (1, Y1 - 10.0, "coercive_admission"),   # a stay over the new year: 10 days in 2024
        (1, Y1 + 5.0, "ready_for_discharge"),
        (1, Y1 + 20.0, "discharge"),
        (2, Y1 + 150.0, "bed_wait"),            # waits 2 days for a bed
        (2, Y1 + 152.0, "admission"),
        (2, Y1 + 160.0, "discharge"),
        (1, Y2 - 3.0, "admission"),             # over the next new year: 3 days in 2025
        (1, Y2 + 4.0, "discharge"),
    ], columns=["citizen", "time", "event"])
    staffing = pd.DataFrame([(0.0, "a", 2.0, 1.0, municipality), (Y1 + 365 / 2, "a", 4.0, 1.0, municipality)],
                            columns=["day", "team", "fte_regional", "fte_municipal", "covers"])
    return sc, project(sc, events, citizens, staffing, Y2 + 365.0)


def test_stays_count_in_the_years_they_overlap_and_admissions_in_the_year_they_begin():
    sc, p = hand_made()
    region = p[p.area == "region"].pivot_table(index="metric", columns="year", values="value")
    assert region.at["admissions", 2025] == 2 and region.at["admissions", 2026] == 0   # 2024 and 2025 began
    assert region.at["coercive_admissions", 2025] == 0   # it began in 2024
    assert region.at["bed_days", 2025] == pytest.approx(20 + 8 + 3)
    assert region.at["bed_days", 2026] == pytest.approx(4)
    assert region.at["coercive_bed_days", 2025] == pytest.approx(5)   # coercive until ready
    assert region.at["bed_blocking_days", 2025] == pytest.approx(15)  # ready to discharge
    assert region.at["waiting_for_bed", 2025] == pytest.approx(2 / 365)
    assert region.at["citizen_years", 2025] == pytest.approx((365 + 100) / 365)


def test_staff_count_by_the_share_of_the_year_they_were_paid_and_money_follows():
    sc, p = hand_made()
    region = p[p.area == "region"].pivot_table(index="metric", columns="year", values="value")
    assert region.at["staff_fte_regional", 2025] == pytest.approx(3.0)   # 2 for half the year, 4 for half
    assert region.at["staff_fte_regional", 2026] == pytest.approx(4.0)
    e = sc.economy
    payment = 15 * e.discharge_ready_day_payment
    assert region.at["cost_municipalities", 2025] == pytest.approx(1.0 * e.fte_year_municipal + payment)
    assert region.at["cost_region", 2025] == pytest.approx(
        31 * e.bed_day + 5 * e.coercive_bed_day_extra + 3.0 * e.fte_year_regional - payment)
    assert region.at["cost_total", 2025] == pytest.approx(region.at["cost_region", 2025]
                                                          + region.at["cost_municipalities", 2025])


def test_a_team_covering_two_clusters_is_split_by_their_target_group():
    sc = scenario("+experiment=rollout", "uncertainty=none")
    munis = sc.population.municipalities
    staffing = pd.DataFrame([(0.0, "t", 10.0, 0.0, "viborg herning")],
                            columns=["day", "team", "fte_regional", "fte_municipal", "covers"])
    fte = fte_by_year(sc, staffing)[2025]
    share = munis["viborg"].target_group / (munis["viborg"].target_group + munis["herning"].target_group)
    assert set(fte) == {"midt", "vest"}
    assert fte["midt"][0] == pytest.approx(10.0 * share) and fte["vest"][0] == pytest.approx(10.0 * (1 - share))


def test_the_summary_pairs_the_arms_and_says_what_its_interval_covers():
    rows = []
    for rep, (plan, none) in enumerate([(8.0, 10.0), (9.0, 10.0), (7.0, 10.0)]):
        for arm, v in (("plan", plan), ("no_rollout", none)):
            rows.append({"replication": rep, "arm": arm, "year": 2025, "area": "region",
                         "metric": "bed_days", "value": v})
    s = summarise_projection(pd.DataFrame(rows), 3)
    row = s[s.metric == "bed_days"].iloc[0]
    assert row.difference == pytest.approx(-2.0) and row.change_pct == pytest.approx(-20.0)
    assert row.difference_lower < -2.0 < row.difference_upper and row.covers == "replications"
    with_draws = pd.DataFrame(rows).assign(draw=lambda d: d.replication)
    assert summarise_projection(with_draws, 1).covers.iloc[0] == "draws"


@pytest.mark.parametrize("override, words", [
    ("rollout.sites.catchment.start=2020-01-01", ["rollout.sites.catchment.start", "before the run"]),
    ("rollout.sites.catchment.maturity.months=200", ["rollout.sites.catchment", "past the end"]),
    ("+rollout.sites.aarhus.start=2026-01-01", ["rollout.sites.aarhus", "not a site", "allowed: catchment"]),
    ("+rollout.sites.catchment.fte.fact=-3", ["rollout.sites.catchment.fte.fact", ">= 0"]),
    ("rollout.sites.catchment.staff.start=1.3", ["rollout.sites.catchment.staff.start", "[0, 1]"]),
    ("rollout.sites.catchment.start=August", ["rollout.sites.catchment.start", "YYYY-MM-DD"]),
    ("+rollout.team_fidelity.fact.caseload=3", ["rollout.team_fidelity.fact.caseload", "allowed"]),
    ("+rollout.fidelity.shared_plan=0", ["rollout.fidelity.shared_plan", "allowed"]),
    ("organisation@baseline=null", ["baseline"]),
])
def test_bad_plans_are_refused_in_one_line_and_nothing_is_written(tmp_path, override, words):
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "sim", "rollout=silkeborg", override, "replications=1",
                           f"hydra.run.dir={out}"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert_one_line_error(proc, words, out)
