"""Pre/post counting against a hand-made event log with answers worked out by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.experiments.prepost import count_periods, decompose, stays

# inclusion at day 100, 50 days before ([50, 100)) and 50 after ([100, 150))
LOG = [
    (1, 10, "enter"), (1, 59, "crisis"), (1, 60, "admission"), (1, 70, "discharge"),
    (1, 71, "post_discharge"), (1, 94, "crisis"), (1, 95, "coercive_admission"),
    (1, 105, "ready_for_discharge"), (1, 120, "discharge"),
    (2, 0, "enter"), (2, 39, "crisis"), (2, 40, "coercive_admission"), (2, 55, "discharge"),
    (2, 129, "crisis"), (2, 130, "admission"),                        # still in bed at the end
    (3, 0, "enter"), (3, 59, "crisis"), (3, 60, "admission"), (3, 80, "discharge"),  # not enrolled
    (4, 0, "enter"), (4, 90, "stable"),                               # enrolled, never admitted
]
EVENTS = pd.DataFrame(LOG, columns=["citizen", "time", "event"]).sample(frac=1.0, random_state=3)
COHORT = [1, 2, 4]

EXPECTED = {
    # c1@60 and c1@95 start before inclusion; c2's stay began at 40, before the period
    ("pre", "admissions"): 2, ("pre", "coercive_admissions"): 1,
    ("pre", "bed_days"): 10 + 5 + 5,            # c1 60-70, c1 95-100, c2 50-55
    ("pre", "coercive_bed_days"): 5 + 5,        # c1 95-100, c2 50-55
    ("pre", "people_admitted"): 1, ("pre", "crises"): 2,
    ("post", "admissions"): 1, ("post", "coercive_admissions"): 0,
    ("post", "bed_days"): 20 + 20,              # c1 100-120, c2 130-150 (open stay, cut at the end)
    ("post", "coercive_bed_days"): 5,           # c1 100-105: coercion ends when ready for discharge
    ("post", "people_admitted"): 1, ("post", "crises"): 1,
}


def test_counts_match_the_hand_worked_answers():
    got = count_periods(EVENTS, COHORT, inclusion=100.0, pre_days=50.0, post_days=50.0)
    got = got.set_index(["period", "measure"]).value.to_dict()
    assert got == pytest.approx({k: float(v) for k, v in EXPECTED.items()})


def test_stays_pair_admissions_with_their_own_discharge():
    st = stays(EVENTS[EVENTS.citizen.isin(COHORT)]).sort_values(["citizen", "admitted"])
    assert st[["citizen", "admitted", "discharged"]].values.tolist() == [
        [1, 60, 70], [1, 95, 120], [2, 40, 55], [2, 130, np.inf]]
    assert st.coercive.tolist() == [False, True, True, False]
    assert st.coercive_until.tolist() == [60, 105, 55, 130]


def test_a_citizen_outside_the_cohort_counts_for_nothing():
    alone = count_periods(EVENTS, [3], 100.0, 50.0, 50.0).set_index(["period", "measure"]).value
    assert alone[("pre", "admissions")] == 1 and alone[("pre", "bed_days")] == 20
    assert alone.loc["post"].sum() == 0
    nobody = count_periods(EVENTS, [4], 100.0, 50.0, 50.0)
    assert (nobody.value == 0).all()


def test_decomposition_of_known_counts():
    rows = []
    for org, post in (("fact", 30.0), ("usual", 60.0)):
        for period, value in (("pre", 100.0), ("post", post)):
            rows.append({"organisation": org, "replication": 0, "period": period,
                         "measure": "bed_days", "value": value})
    rows.append({"organisation": "fact", "replication": 0, "period": "pre", "measure": "admissions", "value": 0.0})
    rows.append({"organisation": "fact", "replication": 0, "period": "post", "measure": "admissions", "value": 2.0})
    rows.append({"organisation": "usual", "replication": 0, "period": "pre", "measure": "admissions", "value": 0.0})
    rows.append({"organisation": "usual", "replication": 0, "period": "post", "measure": "admissions", "value": 1.0})
    d = decompose(pd.DataFrame(rows), "usual").set_index(["measure", "quantity"]).value
    assert d[("bed_days", "observed_ratio")] == pytest.approx(0.3)
    assert d[("bed_days", "counterfactual_ratio")] == pytest.approx(0.6)
    assert d[("bed_days", "organisation_effect")] == pytest.approx(-0.3)
    assert d[("bed_days", "organisation_effect_ratio")] == pytest.approx(0.5)
    assert d[("bed_days", "selection_and_regression")] == pytest.approx(-0.4)
    assert np.isnan(d[("admissions", "observed_ratio")])  # nothing before: no ratio, not infinity


def test_decomposition_per_parameter_draw_pools_each_draws_replications():
    """Hand-worked: each draw's after/before ratio is a ratio of sums over its replications."""
    from sim.experiments.prepost import decompose_draws, summarise_decomposition_draws

    counts = {  # draw: {organisation: [(pre, post) per replication]}
        0: {"fact": [(100, 30), (100, 50)], "usual": [(100, 60), (100, 60)]},
        1: {"fact": [(50, 50), (150, 50)], "usual": [(50, 100), (150, 80)]},
    }
    rows = [{"draw": d, "organisation": org, "replication": r, "period": period, "measure": "bed_days",
             "value": float(v)}
            for d, orgs in counts.items() for org, reps in orgs.items() for r, pair in enumerate(reps)
            for period, v in zip(("pre", "post"), pair)]
    parts = decompose_draws(pd.DataFrame(rows), "usual").set_index(["draw", "quantity"]).value
    assert parts[(0, "observed_ratio")] == pytest.approx(80 / 200)
    assert parts[(0, "counterfactual_ratio")] == pytest.approx(120 / 200)
    assert parts[(0, "organisation_effect_ratio")] == pytest.approx(0.4 / 0.6)
    assert parts[(1, "observed_ratio")] == pytest.approx(100 / 200)
    assert parts[(1, "counterfactual_ratio")] == pytest.approx(180 / 200)
    summary = summarise_decomposition_draws(decompose_draws(pd.DataFrame(rows), "usual")).set_index("quantity")
    effect = summary.loc["organisation_effect_ratio"]
    assert effect["draws"] == 2 and effect["mean"] == pytest.approx((0.4 / 0.6 + 0.5 / 0.9) / 2)
    assert effect["lower"] == pytest.approx(np.quantile([0.4 / 0.6, 0.5 / 0.9], 0.025))
    assert effect["upper"] == pytest.approx(np.quantile([0.4 / 0.6, 0.5 / 0.9], 0.975))


def test_the_models_own_log_counts_as_its_frame_does():
    """A study's counts come from the model's log as it was kept (no frame is built for a
    calibration's simulations); they equal the counts from the frame, bit for bit, and the
    hand-made log counts the same kept as the model keeps it as it does as a frame."""
    from pandas.testing import assert_frame_equal

    from sim.model.event_log import EventLog
    from sim.model.replication import Model

    from ..conftest import scenario

    kept = EventLog()
    for citizen, time, event in LOG:
        kept.add(citizen, float(time), event, "stable", "regional", "team")
    as_kept = count_periods(kept, COHORT, 100.0, 50.0, 50.0)
    assert_frame_equal(as_kept, count_periods(EVENTS, COHORT, 100.0, 50.0, 50.0), check_exact=True)
    sc = scenario("study=norway_prepost")
    res = Model(sc, sc.care_plan(sc.baseline), 0, enrol_into=sc.care_plan(sc.organisation)).run()
    assert len(res.cohort) > 10 and len(res.log) == len(res.events)
    args = (res.cohort, sc.inclusion_day, 730.0, 730.0)
    from_log, from_frame = count_periods(res.log, *args), count_periods(res.events, *args)
    assert from_log.value.sum() > 0
    assert_frame_equal(from_log, from_frame, check_exact=True)
