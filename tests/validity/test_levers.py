"""Face validity: the levers a planner pulls, and the direction any credible model gives.

Each test pulls one lever of the organisation under study (or of the clinical strengths)
and checks the direction of bed days, admissions, coercion or crises, side by side with
fragmented care on the same citizens (common random numbers), pooled over replications.
A tolerance of a few per cent allows for the noise that common random numbers leave
(a citizen whose path changes draws different numbers afterwards).

They run on the shipped defaults and on three draws of the shipped posterior
(``uncertainty=posterior``): a direction must hold wherever the calibration says the
parameters may lie, not only at its median.
"""
from __future__ import annotations

import dataclasses

import pytest

from sim.experiments.uncertainty import draw_values, scenario_for

from ..conftest import scenario
from .levers import pooled, with_team

SETTINGS = ("replications=6", "warmup_years=1", "results_years=3", "event_log=false", "progress=false")
REPS = 6
TOL = 0.03          # relative noise allowed between two levers under common random numbers
CASELOADS = (12, 25, 60, 300)
# the Cochrane review of intensive against non-intensive case management (Dieterich et al.
# 2017, comparison 2): -0.08 days in hospital a month (-0.37 to 0.21); at about 1.6 bed days
# a month in fragmented care a ratio of about 0.95 (0.77 to 1.13)
CONTROLLED_BED_DAYS = (0.77, 1.13)


def _models():
    """The shipped defaults and three posterior draws (draws 0-2 of the shipped posterior)."""
    yield "defaults", ()
    post = scenario("uncertainty=posterior", "uncertainty.draws=3", *SETTINGS, quick=False)
    for d in range(3):
        yield f"posterior draw {d}", tuple(draw_values(post, d).items())


MODELS = dict(_models())


def _scenario(model: str, *overrides: str):
    sc = scenario(*SETTINGS, *overrides, quick=False)
    return scenario_for(sc, dict(MODELS[model]))


@pytest.fixture(scope="module", params=list(MODELS))
def model(request):
    """One set of clinical strengths, with fragmented care's pooled rates under it."""
    sc = _scenario(request.param)
    return request.param, sc, pooled(sc, sc.baseline, REPS)


def fact(sc, **changes):
    return pooled(sc, with_team(sc.organisation, "fact", **changes), REPS)


def test_bed_days_and_coercion_never_fall_as_the_caseload_rises(model):
    _, sc, _ = model
    runs = [fact(sc, caseload=c) for c in CASELOADS]
    for metric in ("bed_days", "coercive_admissions", "coercive_bed_days"):
        values = [r[metric] for r in runs]
        for fewer_staff, more_staff, c in zip(values[1:], values, CASELOADS[1:]):
            assert fewer_staff >= more_staff * (1 - TOL), (metric, c, values)


def test_a_team_with_almost_no_staff_never_beats_fragmented_care(model):
    _, sc, base = model
    starved = fact(sc, caseload=1000.0)    # 0.2 case-manager FTE for 200 citizens
    for metric in ("bed_days", "admissions", "coercive_admissions", "coercive_bed_days"):
        assert starved[metric] >= base[metric] * (1 - TOL), (metric, starved[metric] / base[metric])


def test_staff_pulled_back_to_the_parent_organisation_never_helps(model):
    _, sc, _ = model
    kept = fact(sc, caseload=25.0, pulled_back_share={"regional": 0.1, "municipal": 0.1})
    pulled = fact(sc, caseload=25.0, pulled_back_share={"regional": 0.5, "municipal": 0.5})
    for metric in ("bed_days", "admissions", "coercive_admissions", "coercive_bed_days"):
        assert pulled[metric] >= kept[metric] * (1 - TOL), (metric, pulled[metric] / kept[metric])


def test_better_detection_never_raises_crises_admissions_or_coercion(model):
    name, _, _ = model
    runs = []
    for p in (0.1, 0.3, 0.6):
        sc = _scenario(name, f"clinical.detection_prob_per_contact={p}")
        runs.append(pooled(sc, sc.organisation, REPS))
    for metric in ("crises", "admissions", "coercive_admissions"):
        values = [r[metric] for r in runs]
        assert values[1] <= values[0] * (1 + TOL) and values[2] <= values[1] * (1 + TOL), (metric, values)


def test_inreach_that_no_staff_can_give_shortens_no_stay(model):
    _, sc, _ = model
    spec = sc.organisation.teams["fact"]
    nobody = {k: dataclasses.replace(m, fte_per_100=0.0) for k, m in spec.staff.items()}
    with_inreach = fact(sc, staff=nobody, inreach=True)
    without = fact(sc, staff=nobody, inreach=False)
    assert with_inreach["mean_length_of_stay"] == pytest.approx(without["mean_length_of_stay"], rel=0.01)


def test_regional_fact_side_by_side_lies_in_the_controlled_range(model):
    name, _, _ = model
    sc = _scenario(name, "organisation=fact_regional")
    base, regional = pooled(sc, sc.baseline, REPS), pooled(sc, sc.organisation, REPS)
    low, high = CONTROLLED_BED_DAYS
    assert low <= regional["bed_days"] / base["bed_days"] <= high
