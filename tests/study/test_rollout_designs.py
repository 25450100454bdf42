"""The evaluation designs on the model itself: a roll-out whose organisation has the
mechanisms of fragmented care has no effect, so every design's truth is (close to) 1,
the stepped wedge and the matched comparison are centred on no effect, and the pre/post
of citizens enrolled after a crisis still shows a fall (selection and regression to the
mean), as the Norwegian design does."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.config.load import load
from sim.experiments.runner import run_study

from ..conftest import compose_cfg

# the Horsens cluster's four municipalities, one site each, staggered; Odder late enough to be
# the matched comparison's control over two years of follow-up
NULL = ["population=horsens_klyngen", "organisation=fragmented", "organisation.name=fragmented_again",
        "layout=per_municipality", "rollout=silkeborg", "~rollout.sites.catchment",
        "+rollout.sites.horsens.start=2025-08-01", "+rollout.sites.hedensted.start=2026-02-01",
        "+rollout.sites.skanderborg.start=2026-08-01", "+rollout.sites.odder.start=2028-02-01",
        "~rollout.fidelity", "~rollout.team_fidelity", "rollout.evaluate=true", "rollout.last_year=2030",
        "warmup_years=2", "replications=16", "progress=false", "n_jobs=1", "event_log=false"]


@pytest.fixture(scope="module")
def designs():
    sc, _ = load(compose_cfg(*NULL), overrides=NULL)
    rows = run_study(sc).designs
    assert rows is not None
    return rows[rows.follow_up_years == 2].groupby("design")


def test_without_an_effect_every_designs_truth_is_no_effect(designs):
    for design, rows in designs:
        truth = rows.truth.dropna()
        assert len(truth) >= 4, design
        assert abs(truth.mean() - 1.0) < 0.05, (design, truth.mean())


def test_without_an_effect_the_stepped_wedge_and_matched_comparison_are_centred_on_none(designs):
    """The 99 % interval of the mean log estimate over replications covers 0 and is narrow
    enough to exclude a bias of 20 % (the matched design's, when it paired the most
    atypical treated first)."""
    for design in ("stepped_wedge", "matched"):
        rows = designs.get_group(design)
        logs = np.log(rows[rows.sites == rows.sites.max()].estimate.dropna().to_numpy(float))
        assert len(logs) >= 12, design
        half = stats.t.ppf(0.995, len(logs) - 1) * logs.std(ddof=1) / np.sqrt(len(logs))
        assert abs(logs.mean()) < half < 0.2, (design, logs.mean(), half)


def test_without_an_effect_the_pre_post_still_shows_selection_and_regression_to_the_mean(designs):
    est = designs.get_group("prepost").estimate.dropna()
    assert len(est) >= 4 and est.mean() < 0.9
