"""Paired comparisons: the change in % is a ratio of means with a delta-method interval."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.experiments.results import compare, ratio_change


def test_the_change_is_a_ratio_of_means_with_a_hand_worked_interval():
    base, other = np.array([10.0, 12.0, 8.0]), np.array([8.0, 9.0, 7.0])
    change, lower, upper, var = ratio_change(base, other)
    r = 24.0 / 30.0                                   # mean 8 over mean 10
    resid = (other - r * base) / 10.0                 # [0, -0.06, 0.06]
    assert resid == pytest.approx([0.0, -0.06, 0.06])
    assert change == pytest.approx(-20.0)
    assert var == pytest.approx(100.0 ** 2 * 0.0036 / 3)   # sample variance of resid is 0.0036
    half = stats.t.ppf(0.975, 2) * np.sqrt(var)
    assert (lower, upper) == pytest.approx((-20.0 - half, -20.0 + half))


def test_a_baseline_near_zero_in_one_replication_does_not_explode_the_change():
    base, other = np.array([0.001, 10.0, 10.0, 10.0]), np.array([5.0, 10.0, 10.0, 10.0])
    change, *_ = ratio_change(base, other)
    per_replication_mean = np.mean((other - base) / base * 100)
    assert per_replication_mean > 100_000               # what a mean of ratios would show
    assert change == pytest.approx(100 * (35.0 / 30.001 - 1))


@pytest.mark.parametrize("base, other", [([0.0, 0.0], [1.0, 2.0]), ([], []), ([np.nan], [1.0])])
def test_an_undefined_change_is_missing_not_infinite(base, other):
    assert all(np.isnan(ratio_change(np.array(base, float), np.array(other, float))))


def test_one_pair_has_a_change_but_no_interval():
    change, lower, upper, var = ratio_change(np.array([4.0]), np.array([5.0]))
    assert change == pytest.approx(25.0) and np.isnan(lower) and np.isnan(upper) and np.isnan(var)


def test_compare_reports_the_ratio_of_means():
    results = pd.DataFrame({"organisation": ["a"] * 3 + ["b"] * 3, "metric": "x",
                            "replication": [0, 1, 2] * 2, "value": [10.0, 12.0, 8.0, 8.0, 9.0, 7.0]})
    row = compare(results, "a").iloc[0]
    assert row.change_pct == pytest.approx(-20.0)
    assert row.difference == pytest.approx(-2.0)
    assert row.change_pct_ci_lower < -20.0 < row.change_pct_ci_upper
