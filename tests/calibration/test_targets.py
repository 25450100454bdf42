"""Target sets and the distance that combines them: known values by hand, and properties."""
from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.config.errors import ConfigError
from sim.config.validate import build
from sim.research.targets import CONTROL_USE, Distance, MetaRegression, Target, TargetSet, observed, scaled_miss

BURNS = MetaRegression(slope=Target(-0.44, -0.57, -0.31), zero_use=Target(1.0, 0.5, 1.5))


def test_the_meta_regression_by_hand():
    # control arm at 2 days a month: 0.44 x (2 - 1) = 0.44 fewer days, ratio 1 - 0.44/2
    t = BURNS.resolve(2.0)
    assert t.value == pytest.approx(0.78)
    assert t.low == pytest.approx(1 - 0.57 * 1.5 / 2)      # steepest slope, earliest zero
    assert t.high == pytest.approx(1 - 0.31 * 0.5 / 2)     # flattest slope, latest zero
    # a control arm below the zero crossing: no reduction expected at the value
    low_use = BURNS.resolve(0.9)
    assert low_use.value == 1.0 and low_use.high == 1.0 and low_use.low < 1.0


@given(st.floats(0.05, 20.0))
def test_the_meta_regression_target_is_a_valid_range(use):
    t = BURNS.resolve(use)
    assert 0.0 <= t.low <= t.value <= t.high <= 1.0 + 1e-6
    # more hospital use in the control arm, a larger expected reduction
    assert BURNS.resolve(use * 1.5).value <= t.value + 1e-12


@given(st.floats(-100, 100), st.floats(0.01, 10), st.floats(0.01, 10))
def test_the_scaled_miss_is_one_at_either_end_of_the_range(value, below, above):
    t = Target(value, value - below, value + above)
    assert scaled_miss(t.value, t) == 0.0
    assert scaled_miss(t.low, t) == pytest.approx(-1.0)
    assert scaled_miss(t.high, t) == pytest.approx(1.0)
    assert math.isinf(scaled_miss(float("nan"), t))


def sets(**weights: float) -> dict[str, TargetSet]:
    return {
        "pp": TargetSet(design="prepost", label="a", weight=weights.get("pp", 1.0),
                        targets={"bed_days": Target(0.6, 0.5, 0.7), "admissions": Target(1.0, 0.9, 1.1)}),
        "trial": TargetSet(design="side_by_side", label="b", weight=weights.get("trial", 1.0),
                           meta_regression={"bed_days": BURNS}),
    }


def test_the_distance_averages_within_a_set_and_weighs_the_sets():
    stats = {"pp.bed_days": 0.7, "pp.admissions": 1.0, "trial.bed_days": 0.78, f"trial.{CONTROL_USE}": 2.0}
    terms = Distance(sets()).terms(stats)
    assert terms == pytest.approx({"pp": (1.0 + 0.0) / 2, "trial": 0.0})
    assert Distance(sets(pp=4.0))(stats) == pytest.approx(math.sqrt(4.0 * 0.5))
    assert Distance(sets(pp=0.0))(stats) == 0.0
    assert math.isinf(Distance(sets())({**stats, "pp.admissions": float("nan")}))
    assert math.isnan(observed(sets())["trial.bed_days"]) and observed(sets())["pp.bed_days"] == 0.6


@pytest.mark.parametrize("data, words", [
    ({"design": "cohort", "label": "x", "targets": {}}, "prepost, baseline, side_by_side"),
    ({"design": "prepost", "label": "x"}, "at least one target"),
    ({"design": "prepost", "label": "x", "targets": {"bed_days": {"value": 2, "low": 0.5, "high": 1}}},
     "low <= value <= high"),
    ({"design": "prepost", "label": "x", "targets": {"bed_days": {"value": math.inf, "low": 0.5, "high": 1}}},
     "finite"),
    ({"design": "baseline", "label": "x", "targets": {"crises": {"value": 1, "low": 0.5, "high": 1.5}}},
     "not a baseline metric"),
    ({"design": "prepost", "label": "x", "meta_regression": {"bed_days": {
        "slope": {"value": -0.4, "low": -0.5, "high": -0.3}, "zero_use": {"value": 1, "low": 0.5, "high": 2}}}},
     "only a side_by_side design"),
    ({"design": "side_by_side", "label": "x", "weight": -1,
      "targets": {"bed_days": {"value": 1, "low": 0.5, "high": 1.5}}},
     ">= 0"),
    ({"design": "prepost", "label": "x", "targets": {"bed_days": {"value": 1, "low": 0.5, "high": 1.5}}, "colour": 1},
     "colour"),
])
def test_a_bad_target_set_names_the_key(data, words):
    with pytest.raises(ConfigError, match=words.replace("(", r"\(").replace(")", r"\)")) as err:
        build(TargetSet, data, "targets.mine")
    assert "targets.mine" in str(err.value)
