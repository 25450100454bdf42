"""Back test: the summary table for a fixed seed is pinned.

Any change to the model's results shows here. If the change is intended,
regenerate the expected table and commit it with the change that explains it:

    FACTSIM_UPDATE_BACK=1 make test PYTEST_ARGS=tests/back
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from pandas.testing import assert_frame_equal

from sim.experiments.results import summarise
from sim.experiments.runner import run_study

from ..conftest import scenario

EXPECTED = Path(__file__).with_name("expected_summary.csv")
OVERRIDES = ("seed=42", "replications=3", "warmup_years=0.5", "results_years=2")


def current() -> pd.DataFrame:
    study = run_study(scenario(*OVERRIDES), progress=False, n_jobs=1)
    return summarise(study.results).reset_index(drop=True)


def test_summary_matches_the_pinned_table():
    got = current()
    if os.environ.get("FACTSIM_UPDATE_BACK"):
        got.to_csv(EXPECTED, index=False, float_format="%.12g")
    expected = pd.read_csv(EXPECTED)
    assert list(got.columns) == list(expected.columns)
    # 12 significant digits in the file: compare to 1e-9 relative
    assert_frame_equal(got, expected, check_dtype=False, rtol=1e-9, atol=1e-12)
