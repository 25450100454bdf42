"""The model stays statistically the same model when its implementation changes.

``reference_summary.csv`` holds, for a fixed configuration, the mean and standard
deviation over 20 replications of every metric of both organisations, as the model
gave them before a change that should not alter the model (for example a faster core
with other random numbers). The rule: for each organisation and metric, the change in
the mean must lie within

    z * sqrt(sd_ref^2 / n_ref + sd_now^2 / n_now)

where z is the two-sided normal quantile at a family-wise level of 1 % shared by all
compared metrics (Bonferroni), so an unchanged model fails by chance in at most 1 run
in 100. Metrics with no spread (staff FTE, for example) must be equal. When the model
itself changes on purpose, regenerate the reference with the back test
(``FACTSIM_UPDATE_BACK=1``) in the commit that explains the change.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.experiments.runner import run_study

from ..conftest import scenario

REFERENCE = Path(__file__).with_name("reference_summary.csv")
OVERRIDES = ("seed=7", "replications=20", "warmup_years=1", "results_years=3")
FAMILY_LEVEL = 0.01


def moments() -> pd.DataFrame:
    study = run_study(scenario(*OVERRIDES), progress=False, n_jobs=1)
    g = study.results.groupby(["organisation", "metric"], sort=False)["value"]
    return pd.DataFrame({"n": g.count(), "mean": g.mean(), "sd": g.std(ddof=1)}).reset_index()


def shifts(reference: pd.DataFrame, now: pd.DataFrame) -> pd.DataFrame:
    """Each metric's change in the mean against its Monte Carlo tolerance."""
    both = reference.merge(now, on=["organisation", "metric"], suffixes=("_ref", "_now"))
    both = both.dropna(subset=["mean_ref", "mean_now"])
    se = np.sqrt(both.sd_ref.fillna(0) ** 2 / both.n_ref + both.sd_now.fillna(0) ** 2 / both.n_now)
    z = stats.norm.ppf(1 - FAMILY_LEVEL / 2 / len(both))
    both["tolerance"] = z * se
    both["shift"] = both.mean_now - both.mean_ref
    both["shift_in_se"] = np.where(se > 0, both["shift"] / se.where(se > 0, 1), 0.0)
    both["ok"] = np.where(se > 0, both["shift"].abs() <= both.tolerance,
                          np.isclose(both.mean_now, both.mean_ref, rtol=1e-9, atol=1e-12))
    return both


def test_the_model_is_statistically_the_model_of_the_reference():
    now = moments()
    if os.environ.get("FACTSIM_UPDATE_BACK") or not REFERENCE.exists():
        now.to_csv(REFERENCE, index=False, float_format="%.12g")
    table = shifts(pd.read_csv(REFERENCE), now)
    assert len(table) >= 80
    bad = table.loc[~table.ok, ["organisation", "metric", "mean_ref", "mean_now", "tolerance"]]
    assert bad.empty, f"shifted beyond Monte Carlo noise:\n{bad.to_string()}"


def test_the_rule_catches_a_real_shift():
    ref = pd.DataFrame({"organisation": ["a", "a"], "metric": ["x", "y"], "n": [20, 20],
                        "mean": [10.0, 5.0], "sd": [1.0, 0.0]})
    same = ref.assign(mean=[10.3, 5.0])
    moved = ref.assign(mean=[12.0, 5.0])
    fixed_moved = ref.assign(mean=[10.0, 5.1], sd=[1.0, 0.0])
    assert shifts(ref, same).ok.all()
    assert not shifts(ref, moved).ok.iloc[0]
    assert not shifts(ref, fixed_moved).ok.iloc[1]
