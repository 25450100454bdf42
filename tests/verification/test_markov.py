"""Verification against results known independently of the simulation.

Reduced model: one severity, no detection, no drop-out, no exits, unlimited beds,
exponential stays and no waiting for municipal offers. A citizen then moves

    stable --h--> deteriorating --1/W--> { admitted (prob a) | crisis at home (1-a) }
    crisis --1/H--> stable,     admitted --1/L--> stable

whose long-run share of time in each state is, by renewal-reward, proportional
to (1/h, W, (1-a) H, a L). The simulation must reproduce these shares within a
tolerance set by the spread between replications.

With the illness course switched on, the phase (well or unwell, exponential lengths)
runs beside the state, so (state, phase) is a Markov chain of eight states whose
stationary distribution solves pi Q = 0; the simulation must match its marginal
shares too (and they differ clearly from the shares without a course).
"""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.experiments.simulate import simulate

from ..conftest import scenario

H_RATE, W, H, A, L = 1.0, 21.0, 10.0, 0.4, 20.0   # per year, days, days, prob, days
REPS = 20

REDUCED = [
    f"clinical.deterioration_rate_per_year={H_RATE}",
    "clinical.dual_diagnosis_hazard_ratio=1", "clinical.diagnosis_hazard_ratio.other=1",
    f"clinical.warning_window_mean_days={W}", "clinical.detection_prob_per_contact=0",
    "clinical.self_referral_rate_per_year=0", f"clinical.crisis_home_mean_days={H}",
    *(f"clinical.admission_prob.{k}={A}" for k in ("intensive", "standard", "none")),
    *(f"clinical.coercion_prob.{k}=0" for k in ("intensive", "standard", "none")),
    f"clinical.los_mean_days.voluntary={L}", "clinical.los_shape=1", "clinical.inreach_los_ratio=1",
    "clinical.needs_municipal_offer_prob=0", "clinical.post_discharge_days=0",
    "clinical.handover_loss_prob=0", "clinical.loss_hazard_per_day_without_contact=0",
    "clinical.dropout_rate_per_year=0", "clinical.course.unwell_hazard_ratio=1",
    "population.severity_shape=1e9", "population.exit_rate_per_year=0", "population.cohort=true",
    "population.beds=null", f"replications={REPS}", "warmup_years=2", "results_years=8",
    "event_log=false",
]


def analytic_shares(h_rate: float = H_RATE) -> dict[str, float]:
    weights = {"days_stable": 365.0 / h_rate, "days_deteriorating": W,
               "days_in_crisis": (1 - A) * H, "days_admitted": A * L}
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items()}


@pytest.fixture(scope="module")
def reduced_runs():
    sc = scenario(*REDUCED, quick=False)
    rows = []
    for rep in range(REPS):
        m = simulate(sc, sc.baseline, rep).metrics
        total = sum(m[k] for k in analytic_shares())
        rows.append({k: m[k] / total for k in analytic_shares()} | {
            "other": m["bed_wait_days"] + m["bed_blocking_days"] + m["days_disengaged"]
            + m["days_post_discharge"], "exits": m["exits"]})
    return rows


def test_reduced_model_has_only_the_four_states(reduced_runs):
    assert all(r["other"] == 0 and r["exits"] == 0 for r in reduced_runs)


def assert_share_matches(runs: list[dict], state: str, expected: float) -> None:
    """The replications' mean share within a 99.9 % interval of the analytic share (so a
    correct model fails 1 time in 1000), and that interval narrow enough to mean something."""
    values = np.array([r[state] for r in runs])
    se = values.std(ddof=1) / np.sqrt(len(values))
    half = stats.t.ppf(0.9995, len(values) - 1) * se
    assert abs(values.mean() - expected) <= half, (values.mean(), expected, half)
    assert half < 0.1 * expected, "too few replications to test anything"


@pytest.mark.parametrize("state", list(analytic_shares()))
def test_time_in_each_state_matches_the_markov_chain(reduced_runs, state):
    assert_share_matches(reduced_runs, state, analytic_shares()[state])


@pytest.mark.parametrize("org", ["baseline", "organisation"])
def test_littles_law_for_bed_occupancy(org):
    """Mean beds occupied (sampled daily) = admissions per day x mean stay (from the stays)."""
    sc = scenario("replications=4", "warmup_years=1", "results_years=4", quick=False)
    for rep in range(2):
        m = simulate(sc, getattr(sc, org), rep).metrics
        arrivals_per_day = m["admissions"] / (sc.results_years * 365.0)
        little = arrivals_per_day * m["mean_length_of_stay"]
        assert m["mean_beds_occupied"] == pytest.approx(little, rel=0.08)


# the illness course: unwell phases of mean CU days with CR times the hazard of the
# well phases (mean CV days), the multipliers scaled to a long-run mean of 1
CR, CU, CV, CH = 8.0, 60.0, 240.0, 6.0   # CH: deterioration rate per year (mean over the course)
COURSE = [f"clinical.course.unwell_hazard_ratio={CR}", f"clinical.course.unwell_mean_days={CU}",
          f"clinical.course.well_mean_days={CV}", f"clinical.deterioration_rate_per_year={CH}"]


def analytic_shares_with_course() -> dict[str, float]:
    """Stationary distribution of the chain on (state, phase), marginal over the phase."""
    p_unwell = CU / (CU + CV)
    mean = p_unwell * CR + (1 - p_unwell)
    mult = {0: 1 / mean, 1: CR / mean}             # 0 well, 1 unwell
    states = ["S", "D", "C", "A"]
    index = {(x, ph): i for i, (x, ph) in enumerate((x, ph) for x in states for ph in (0, 1))}
    q = np.zeros((8, 8))
    h = CH / 365.0
    for ph in (0, 1):
        q[index["S", ph], index["D", ph]] = h * mult[ph]
        q[index["D", ph], index["A", ph]] = A / W
        q[index["D", ph], index["C", ph]] = (1 - A) / W
        q[index["C", ph], index["S", ph]] = 1 / H
        q[index["A", ph], index["S", ph]] = 1 / L
    for x in states:
        q[index[x, 0], index[x, 1]] = 1 / CV
        q[index[x, 1], index[x, 0]] = 1 / CU
    np.fill_diagonal(q, -q.sum(axis=1))
    # pi Q = 0 with sum(pi) = 1
    lhs = np.vstack([q.T, np.ones(8)])
    pi = np.linalg.lstsq(lhs, np.r_[np.zeros(8), 1.0], rcond=None)[0]
    names = dict(zip(states, analytic_shares()))
    return {names[x]: pi[index[x, 0]] + pi[index[x, 1]] for x in states}


@pytest.fixture(scope="module")
def course_runs():
    sc = scenario(*REDUCED, *COURSE, quick=False)
    rows = []
    for rep in range(REPS):
        m = simulate(sc, sc.baseline, rep).metrics
        total = sum(m[k] for k in analytic_shares())
        rows.append({k: m[k] / total for k in analytic_shares()})
    return rows


def test_the_course_changes_the_shares_the_chain_predicts():
    with_course, without = analytic_shares_with_course(), analytic_shares(CH)
    assert abs(sum(with_course.values()) - 1) < 1e-9
    assert with_course["days_stable"] > without["days_stable"] + 0.05


@pytest.mark.parametrize("state", list(analytic_shares()))
def test_time_in_each_state_matches_the_chain_with_an_illness_course(course_runs, state):
    assert_share_matches(course_runs, state, analytic_shares_with_course()[state])
