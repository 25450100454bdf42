"""The roll-out's evaluation designs on synthetic data built here, not by the model."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim.experiments.evaluation import (
    DESIGNS,
    HALF_YEAR,
    YEAR,
    Replication,
    design_rows,
    matched_sample,
    pre_post,
    site_subsets,
    stepped_wedge,
    stepped_wedge_fit,
    stepped_wedge_panel,
    summarise_designs,
)

INF = math.inf


# --- synthetic data -----------------------------------------------------------------

def wedge_panel(ratio: float, seed: int = 3) -> pd.DataFrame:
    """8 municipalities in 4 sites starting at periods 2, 4, 6, 8 of 10; Poisson bed days
    with a calendar trend, a level per unit and the team's rate ratio ``ratio``."""
    rng = np.random.default_rng(seed)
    rows = []
    for u in range(8):
        site, level = f"s{u // 2}", rng.normal(0.0, 0.3)
        start_period = 2 + 2 * (u // 2)
        for period in range(10):
            exposure = rng.uniform(40, 60)
            treated = int(period >= start_period)
            rate = 20.0 * math.exp(level + 0.04 * period) * ratio ** treated
            rows.append({"unit": f"m{u}", "site": site, "period": period, "exposure": exposure,
                         "treated": treated, "outcome": float(rng.poisson(exposure * rate))})
    return pd.DataFrame(rows)


SITE_STARTS = {"A": 3.0, "B": 3.5, "C": 4.0, "D": 4.5, "E": 5.0, "F": 5.5, "G": INF, "H": INF}


def synthetic_rollout(seed: int, per_municipality: int = 60, years: float = 10.0,
                      starts: dict[str, float] | None = None) -> tuple[pd.DataFrame, pd.DataFrame, float]:
    """Citizens in 8 sites of 2 municipalities each and one event log (the no-effect truth:
    both arms are this log). Each citizen has a steady crisis rate of their own (gamma
    frailty, higher with a dual diagnosis); a crisis admits with probability 0.7 unless
    the citizen is in hospital, for an exponential stay of 25 days on average."""
    rng = np.random.default_rng(seed)
    end = years * YEAR
    starts = SITE_STARTS if starts is None else starts
    people, events = [], []
    cid = 0
    for site, start_years in starts.items():
        for j in range(2):
            for _ in range(per_municipality):
                entered = 0.0 if rng.random() < 0.8 else rng.uniform(0, end)
                exit_time = entered + rng.exponential(40 * YEAR)
                dual = bool(rng.random() < 0.3)
                rate = rng.gamma(0.8, 0.6 / 0.8) * (1.5 if dual else 1.0) / YEAR
                people.append({"citizen": cid, "municipality": f"{site}{j}", "site": site,
                               "start": start_years * YEAR, "entered": entered, "exit_time": exit_time,
                               "age_band": str(rng.choice(["18-29", "30-49", "50+"])),
                               "diagnosis": str(rng.choice(["schizophrenia", "bipolar"])),
                               "dual_diagnosis": dual})
                t, out_of_hospital = entered, entered
                stop = min(exit_time, end)
                while True:
                    t += rng.exponential(1 / rate) if rate > 0 else INF
                    if t >= stop:
                        break
                    events.append((cid, t, "crisis"))
                    if rng.random() < 0.7 and t >= out_of_hospital:
                        out_of_hospital = t + rng.exponential(25.0)
                        events.append((cid, t, "admission"))
                        events.append((cid, out_of_hospital, "discharge"))
                cid += 1
    log = pd.DataFrame(events, columns=["citizen", "time", "event"]).sort_values(["time", "citizen"])
    return pd.DataFrame(people), log.reset_index(drop=True), end


def with_effect(log: pd.DataFrame, citizens: pd.DataFrame, ratio: float) -> pd.DataFrame:
    """The plan arm of a log: stays that begin after the citizen's site started last
    ``ratio`` times as long (the counterfactual is the log as it is)."""
    start = citizens.set_index("citizen").start
    out = log.copy()
    out["_stay"] = (out.event == "admission").groupby(out.citizen).cumsum()
    admitted = out[out.event == "admission"].set_index(["citizen", "_stay"]).time
    dis = out.event == "discharge"
    key = pd.MultiIndex.from_arrays([out.citizen[dis], out._stay[dis]])
    a = admitted.reindex(key).to_numpy()
    shortened = np.where(a >= start.reindex(out.citizen[dis]).to_numpy(), a + (out.time[dis] - a) * ratio,
                         out.time[dis])
    out.loc[dis, "time"] = shortened
    return out.drop(columns="_stay")


# --- the stepped wedge's analysis -----------------------------------------------------

@pytest.mark.parametrize("cluster_min_sites", [4, 10])
def test_the_stepped_wedge_recovers_a_known_rate_ratio_on_a_synthetic_panel(cluster_min_sites):
    fit = stepped_wedge_fit(wedge_panel(0.7), cluster_min_sites=cluster_min_sites)
    assert fit["estimate"] == pytest.approx(0.7, rel=0.05)
    assert fit["ci_lower"] < 0.7 < fit["ci_upper"]
    assert fit["p_value"] < 0.05
    assert fit["n"] == 8 and fit["sites"] == 4
    assert fit["clustered"] == float(cluster_min_sites <= 4)


def test_the_stepped_wedge_finds_no_effect_where_there_is_none():
    fit = stepped_wedge_fit(wedge_panel(1.0))
    assert fit["estimate"] == pytest.approx(1.0, abs=0.05)
    assert fit["ci_lower"] < 1.0 < fit["ci_upper"]


def ramping_panel(seed: int = 5) -> pd.DataFrame:
    """As :func:`wedge_panel`, half-year periods, but the effect builds up: no change in the
    first half-year after the start, 0.85 in the second, 0.7 from a year on."""
    panel = wedge_panel(1.0, seed)
    start = 2 + 2 * panel.unit.str[1:].astype(int) // 2
    since = (panel.period - start) * HALF_YEAR
    ratio = np.where(panel.treated == 0, 1.0, np.where(since < HALF_YEAR, 1.0, np.where(since < YEAR, 0.85, 0.7)))
    rng = np.random.default_rng(seed)
    rate = panel.outcome / panel.exposure   # a noisy level of the unit and period: kept
    return panel.assign(exposure_days=since, outcome=rng.poisson(panel.exposure * rate.clip(lower=1.0) * ratio)
                        .astype(float))


def test_by_time_since_the_start_the_stepped_wedge_finds_an_effect_that_builds_up():
    """The exposure-time model recovers the effect from a year on (0.7); the usual model,
    which assumes the whole effect from the first day, averages it with the first months."""
    panel = ramping_panel()
    later = stepped_wedge_fit(panel, exposure_bins=(0.0, HALF_YEAR, YEAR))
    usual = stepped_wedge_fit(panel)
    assert later["estimate"] == pytest.approx(0.7, abs=0.06)
    assert usual["estimate"] > later["estimate"] + 0.05


def test_a_stepped_wedge_without_untreated_periods_is_not_formed():
    panel = wedge_panel(0.7).assign(treated=1)
    assert math.isnan(stepped_wedge_fit(panel)["estimate"])


def test_the_stepped_wedge_panel_counts_exposure_and_drops_transition_periods():
    # site A starts on day 2 years (the first start: a period's edge); site B in the
    # middle of the period after, so that period is its transition period
    b_start = 2 * YEAR + 1.5 * HALF_YEAR
    citizens = pd.DataFrame({
        "citizen": [1, 2, 3], "municipality": ["a", "a", "b"], "site": ["A", "A", "B"],
        "start": [2 * YEAR, 2 * YEAR, b_start], "entered": [0.0, 0.0, 0.0],
        "exit_time": [INF, 2 * YEAR + HALF_YEAR / 2, INF],
        "age_band": "x", "diagnosis": "y", "dual_diagnosis": False})
    log = pd.DataFrame({"citizen": [1, 1, 3, 3], "time": [2 * YEAR - 10, 2 * YEAR + 5, 2 * YEAR, 2 * YEAR + 30],
                        "event": ["admission", "discharge", "admission", "discharge"]})
    rep = Replication.from_logs(citizens, log, log, 4 * YEAR)
    panel = stepped_wedge_panel(rep, 2 * YEAR).set_index(["unit", "period"])
    # periods: [1, 1.5), [1.5, 2), [2, 2.5), [2.5, 3), [3, 3.5), [3.5, 4) years
    assert sorted(panel.index.get_level_values("period").unique()) == list(range(6))
    assert ("b", 3) not in panel.index                       # B's transition period, dropped
    assert panel.loc[("b", 2), "treated"] == 0 and panel.loc[("b", 4), "treated"] == 1
    assert panel.loc[("a", 1), "treated"] == 0 and panel.loc[("a", 2), "treated"] == 1
    assert panel.loc[("a", 1), "outcome"] == pytest.approx(10.0)    # the stay's days before the start
    assert panel.loc[("a", 2), "outcome"] == pytest.approx(5.0)
    assert panel.loc[("b", 2), "outcome"] == pytest.approx(30.0)
    # citizen 2 leaves a quarter year into period 2: 0.5 + 0.25 citizen-years in unit a
    assert panel.loc[("a", 2), "exposure"] == pytest.approx(0.75)
    assert panel.loc[("a", 3), "exposure"] == pytest.approx(0.5)


# --- every design on synthetic roll-outs without an effect ---------------------------

@pytest.fixture(scope="module")
def no_effect_rows():
    """Six synthetic replications; both arms the same log (a team without effect)."""
    frames = []
    for seed in range(6):
        citizens, log, end = synthetic_rollout(seed)
        frames.append(design_rows(citizens, log, log, end, follow_up_years=(2,)).assign(replication=seed))
    return pd.concat(frames, ignore_index=True)


def test_with_identical_arms_every_design_knows_the_truth_is_one(no_effect_rows):
    assert set(no_effect_rows.design) == set(DESIGNS)
    assert (no_effect_rows.truth == 1.0).all()


def test_without_an_effect_the_stepped_wedge_and_matched_estimates_centre_on_one(no_effect_rows):
    mean = no_effect_rows.groupby("design").estimate.mean()
    assert mean["stepped_wedge"] == pytest.approx(1.0, abs=0.1)
    assert mean["stepped_wedge_exposure"] == pytest.approx(1.0, abs=0.15)
    assert mean["matched"] == pytest.approx(1.0, abs=0.1)


def test_without_an_effect_the_pre_post_design_still_shows_fewer_bed_days(no_effect_rows):
    # selection on a crisis in the year before the start, and the regression to the mean after it
    prepost = no_effect_rows[no_effect_rows.design == "prepost"]
    assert (prepost.estimate < 0.9).all()
    assert (prepost.p_value < 0.05).mean() > 0.5


def test_a_real_effect_is_the_truth_of_every_design_and_the_controlled_designs_see_it():
    citizens, log, end = synthetic_rollout(11)
    plan = with_effect(log, citizens, 0.5)
    rep = Replication.from_logs(citizens, plan, log, end)
    sw, mt = stepped_wedge(rep, 2 * YEAR), matched_sample(rep, 2 * YEAR)
    assert sw["truth"] < 0.7 and sw["estimate"] < 0.85
    assert mt.treated_outcome.sum() / mt.treated_counterfactual.sum() < 0.7
    assert mt.treated_outcome.mean() / mt.control_outcome.mean() < 0.85
    assert pre_post(rep, 2 * YEAR)["truth"] < 0.7


def test_matching_pairs_each_control_once_per_index_day_from_sites_not_yet_started():
    citizens, log, end = synthetic_rollout(2)
    rep = Replication.from_logs(citizens, log, log, end)
    pairs = matched_sample(rep, 2 * YEAR)
    start = citizens.set_index("citizen").start
    assert len(pairs) > 300
    assert not pairs.duplicated(["index", "control"]).any()
    assert not pairs.duplicated(["index", "treated"]).any()
    assert (start.reindex(pairs.control).to_numpy() > pairs["index"].to_numpy() + 2 * YEAR).all()
    assert (start.reindex(pairs.treated).to_numpy() == pairs["index"].to_numpy()).all()


# --- hand-made logs and edge cases ---------------------------------------------------

def hand_made() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Site S starts on day 1000, site T on day 3000 (after the run's end, 1500)."""
    citizens = pd.DataFrame({
        "citizen": [1, 2, 3, 4, 5], "municipality": ["m", "m", "m", "m", "n"],
        "site": ["S", "S", "S", "S", "T"], "start": [1000.0, 1000.0, 1000.0, 1000.0, 3000.0],
        "entered": [0.0, 0.0, 0.0, 1001.0, 0.0], "exit_time": [INF, INF, 1150.0, INF, INF],
        "age_band": "x", "diagnosis": "y", "dual_diagnosis": False})
    plan = pd.DataFrame([
        (1, 850, "admission"), (1, 870, "discharge"),     # 20 days before
        (1, 900, "crisis"),                                # a crisis in the year before: enrolled
        (1, 990, "admission"), (1, 1010, "discharge"),    # 10 days before, 10 after
        (1, 1100, "admission"), (1, 1130, "discharge"),   # 30 after
        (2, 500, "crisis"), (2, 900, "admission"), (2, 950, "discharge"),  # crisis too early: not enrolled
        (3, 950, "crisis"), (3, 950, "coercive_admission"),  # never discharged; leaves on day 1150
        (4, 1100, "crisis"), (4, 1100, "admission"), (4, 1120, "discharge"),  # entered after the start
        (5, 900, "crisis"), (5, 900, "admission"), (5, 990, "discharge"),  # a site not started in time
    ], columns=["citizen", "time", "event"])
    counterfactual = plan[~((plan.citizen == 1) & plan.time.isin([1100, 1130]))]
    return citizens, plan, counterfactual


def test_pre_post_counts_a_hand_made_log_as_by_hand():
    citizens, plan, counterfactual = hand_made()
    rep = Replication.from_logs(citizens, plan, counterfactual, 1500.0)
    days = pre_post(rep, 200.0)
    # before: 20 + 10 (citizen 1) + 50 (citizen 3, days 950-1000); after: 10 + 30 + 150 (cut at the exit)
    assert days["n"] == 2 and days["sites"] == 1
    assert days["estimate"] == pytest.approx(190 / 80)
    assert days["truth"] == pytest.approx(190 / 160)      # without the stay at day 1100
    assert days["p_value"] == pytest.approx(0.5)           # two positive differences, exact signed rank
    admissions = pre_post(rep, 200.0, outcome="admissions")
    assert admissions["estimate"] == pytest.approx(1 / 3)
    assert math.isnan(admissions["truth"])                 # no admission after in the counterfactual


def test_no_site_starting_in_time_gives_rows_of_nan_not_an_error():
    citizens, log, end = synthetic_rollout(1, per_municipality=5,
                                           starts={"A": 10.5, "B": 12.0, "C": INF, "D": INF})
    rows = design_rows(citizens, log, log, end, follow_up_years=(2, 4), site_counts=[2, 3])
    assert set(rows.design) == set(DESIGNS)
    assert (rows.design == "stepped_wedge").sum() == 2 * (1 + 6 + 4)   # all sites, 6 pairs, 4 triples
    assert rows.estimate.isna().all() and rows.truth.isna().all() and rows.p_value.isna().all()
    assert summarise_designs(rows.assign(replication=0)).empty


def test_a_site_starting_too_late_for_the_follow_up_is_left_out_of_pre_post_and_matching():
    citizens, log, end = synthetic_rollout(1, per_municipality=20,
                                           starts={"A": 9.0, "B": 12.0, "C": INF, "D": INF})
    rows = design_rows(citizens, log, log, end, follow_up_years=(2,)).set_index("design")
    assert math.isnan(rows.loc["prepost", "estimate"]) and math.isnan(rows.loc["matched", "estimate"])
    # the stepped wedge follows site A for the year the run has left
    assert rows.loc["stepped_wedge", "estimate"] > 0 and rows.loc["stepped_wedge", "n"] == 8


def test_a_pre_post_window_before_the_log_begins_leaves_the_site_out():
    citizens, plan, counterfactual = hand_made()
    rep = Replication.from_logs(citizens, plan, counterfactual, 2500.0)
    assert math.isnan(pre_post(rep, 1001.0)["estimate"])    # 1 day of the before-period precedes the log
    assert pre_post(rep, 1000.0)["n"] == 2


def test_a_citizens_table_without_a_column_is_refused_naming_it():
    citizens, plan, counterfactual = hand_made()
    with pytest.raises(ValueError, match="citizens: missing column.*exit_time"):
        Replication.from_logs(citizens.drop(columns="exit_time"), plan, counterfactual, 1500.0)


def test_site_subsets_are_all_of_them_or_ten_the_same_every_time():
    assert site_subsets(list("ABCD"), 2) == [("A", "B"), ("A", "C"), ("A", "D"), ("B", "C"), ("B", "D"),
                                              ("C", "D")]
    drawn = site_subsets(list("ABCDEFG"), 3)
    assert len(drawn) == len(set(drawn)) == 10 and drawn == site_subsets(list("GFEDCBA"), 3)


# --- summaries and sentences ---------------------------------------------------------

def summary_rows() -> pd.DataFrame:
    return pd.DataFrame({
        "design": ["stepped_wedge"] * 4 + ["prepost"] * 2, "outcome": "bed_days",
        "follow_up_years": 4.0, "sites": [7, 7, 7, 7, 5, 5],
        "estimate": [0.80, 0.90, 0.85, np.nan, 0.7, 0.6], "truth": [0.82, 0.82, 0.82, np.nan, 1.0, 1.0],
        "p_value": [0.01, 0.2, 0.03, np.nan, 0.001, 0.002], "n": 20, "replication": [0, 1, 2, 3, 0, 1]})


def test_the_summary_gives_each_designs_bias_spread_and_power():
    s = summarise_designs(summary_rows()).set_index("design")
    sw = s.loc["stepped_wedge"]
    assert sw.replications == 3                        # the replication without a design is left out
    assert sw.estimate == pytest.approx(0.85)
    assert sw.bias == pytest.approx(0.03)
    assert sw.spread == pytest.approx(0.05)
    assert sw.power == pytest.approx(2 / 3)
    assert sw.bias_lower < 0.03 < sw.bias_upper and sw.covers == "noise"
    assert s.loc["prepost"].bias == pytest.approx(-0.35)


def test_matching_with_fewer_controls_than_treated_keeps_the_pairs_balanced():
    """Closest pairs first: each pair's treated and control lie close on the logit, with no
    side systematically higher (pairing the highest propensity first would leave the
    treated about 0.16 above their controls here)."""
    from sim.experiments.evaluation import _nearest_pairs

    rng = np.random.default_rng(1)
    treated = pd.DataFrame({"citizen": np.arange(200), "logit": rng.normal(0.5, 1.0, 200), "is_treated": True,
                            "site": "a"})
    controls = pd.DataFrame({"citizen": np.arange(200, 260), "logit": rng.normal(0.0, 1.0, 60),
                             "is_treated": False, "site": "b"})
    day = pd.concat([treated, controls], ignore_index=True)
    pairs = pd.DataFrame(_nearest_pairs(day, 0.2 * float(day.logit.std()), 0.0), columns=["i", "s", "t", "c"])
    logit = day.set_index("citizen").logit
    gap = logit[pairs.t].to_numpy() - logit[pairs.c].to_numpy()
    assert len(pairs) >= 50 and pairs.t.is_unique and pairs.c.is_unique
    assert abs(gap.mean()) < 0.03 and np.abs(gap).max() <= 0.2 * float(day.logit.std())
