"""Calibration end to end on a tiny budget: recovering a known parameter from data the
model itself made, exact repeats on the single-core sampler, resume, and bad input."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from sim.config.errors import ConfigError
from sim.research.calibrate import Prior, Priors, Simulator, Targets, base_config, calibrate, compose_settings

from ..conftest import ROOT, assert_one_line_error

pytest.importorskip("pyabc")

# a short study keeps each simulation (2 replications) near 0.25 s
FAST = ["scenario=['study=norway_prepost','organisation=fact_crosssector','warmup_years=0.5',"
        "'study.pre_months=12','study.post_months=12','study.enrolment.lookback_months=6']",
        "replications_per_simulation=2", "abc.sampler=single", "abc.n_procs=1",
        "posterior_predictive_draws=4"]
PARAM = "clinical.admission_prob.intensive"
TRUE = 0.45   # the value in scenarios/clinical/default.yaml
PRIOR = Prior(low=0.1, high=0.95)


def _settings(*extra: str, targets: dict[str, float] | None = None):
    settings, raw = compose_settings(FAST + list(extra))
    settings = dataclasses.replace(settings, priors=Priors({PARAM: PRIOR}))
    if targets is not None:
        settings = dataclasses.replace(settings, targets=Targets("synthetic", "made by the model", targets))
    return settings, raw


@pytest.fixture(scope="module")
def synthetic_targets():
    """Ratios the model gives at the true value, from many more citizens than one simulation."""
    settings, _ = _settings()
    sim = Simulator(base_config(settings), [PARAM], replications=16, seed=99,
                    measures=("admissions", "bed_days", "coercive_admissions"))
    return sim.ratios({PARAM: TRUE}, "truth")


@pytest.fixture(scope="module")
def recovered(tmp_path_factory, synthetic_targets):
    """A tiny calibration to the synthetic targets: 3 generations of 30 particles (about
    550 simulations, about 2 minutes on one core; deterministic on the single-core sampler)."""
    folder = tmp_path_factory.mktemp("recovered")
    settings, raw = _settings("abc.population_size=30", "abc.max_generations=3",
                              targets=synthetic_targets)
    return folder, calibrate(settings, raw, folder)


def test_calibration_recovers_a_known_parameter(recovered, synthetic_targets):
    folder, result = recovered
    row = result["summary"].set_index("parameter").loc[PARAM]
    assert row.ci_lower <= TRUE <= row.ci_upper, row.to_dict()
    # and it learnt something: the posterior is clearly narrower than the uniform prior
    post = pd.read_parquet(folder / "posterior.parquet")
    w = post.weight / post.weight.sum()
    sd = float(np.sqrt((w * (post[PARAM] - (w * post[PARAM]).sum()) ** 2).sum()))
    assert sd < 0.75 * (PRIOR.high - PRIOR.low) / np.sqrt(12), sd
    assert result["generations"] == 3 and result["simulations"] >= 3 * 30
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in ("abc.db", "posterior.parquet", "posterior_summary.csv", "ppc_summary.csv",
                 "plots/posterior_pairs.png", "plots/ppc.png",
                 "calibrated/clinical/calibrated_synthetic.yaml"):
        assert name in manifest["files"] and (folder / name).is_file(), name
    ppc = pd.read_csv(folder / "ppc_summary.csv").set_index("measure")
    assert ppc.loc["admissions", "target"] == pytest.approx(synthetic_targets["admissions"])


def test_the_calibrated_config_runs_as_a_scenario(tmp_path, recovered):
    folder, result = recovered
    median = result["summary"].set_index("parameter").at[PARAM, "median"]
    proc = subprocess.run([sys.executable, "-m", "sim", "--config-dir", str(folder / "calibrated"),
                           "clinical=calibrated_synthetic", "replications=1", "results_years=0.5",
                           "warmup_years=0.1", "progress=false", f"hydra.run.dir={tmp_path / 'run'}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    prov = pd.read_csv(tmp_path / "run" / "provenance.csv").set_index("parameter")
    assert float(prov.at[PARAM, "value"]) == pytest.approx(median, abs=1e-6)
    assert prov.at[PARAM, "source"].startswith("calibrated: factsim-calibrate")


def test_the_single_core_sampler_repeats_exactly(tmp_path, synthetic_targets):
    runs = []
    for name in ("a", "b"):
        settings, raw = _settings("abc.population_size=6", "abc.max_generations=2",
                                  targets=synthetic_targets)
        calibrate(settings, raw, tmp_path / name)
        runs.append(pd.read_parquet(tmp_path / name / "posterior.parquet"))
    pd.testing.assert_frame_equal(runs[0], runs[1])


def test_a_prior_outside_the_allowed_range_is_refused():
    settings, _ = _settings()
    bad = dataclasses.replace(settings, priors=Priors({PARAM: Prior(0.5, 1.5)}))
    with pytest.raises(ConfigError, match="clinical.admission_prob.intensive: the range 0.5-1.5 is not allowed"):
        base_config(bad)
    missing = dataclasses.replace(settings, priors=Priors({"clinical.nosuch": Prior(0, 1)}))
    with pytest.raises(ConfigError, match="clinical.nosuch: no such parameter"):
        base_config(missing)


def calibrate_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim.research.calibrate", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)


def test_resume_continues_the_saved_database(tmp_path):
    out = tmp_path / "cal"
    first = calibrate_cli(*FAST, "abc.population_size=6", "abc.max_generations=1", f"out={out}")
    assert first.returncode == 0, first.stderr
    before = json.loads((out / "manifest.json").read_text())
    again = calibrate_cli(f"resume={out}", "abc.max_generations=1")
    assert again.returncode == 0, again.stderr
    after = json.loads((out / "manifest.json").read_text())
    assert after["resumed"] and after["generations"] == before["generations"] + 1
    assert after["total_simulations"] > before["total_simulations"]
    assert "simulations in" in again.stdout


@pytest.mark.parametrize("args, words", [
    (["targets=nosuch"], ["targets=nosuch", "centre", "strategy_paper"]),
    (["abc.sampler=gpu"], ["abc.sampler", "multicore, single"]),
    (["abc.distance=manhattan"], ["abc.distance", "adaptive, euclidean"]),
    (["targets.ratios.bed_days=-1"], ["targets.ratios.bed_days", "> 0"]),
    (["+targets.ratios.happiness=2"], ["targets.ratios.happiness", "admissions"]),
    (["resume=/nonexistent/folder"], ["resume=", "abc.db"]),
    (["scenario=['organisation=nosuch']"], ["organisation=nosuch", "fact_crosssector"]),
    (["scenario=['organisation=fact_regional']"], ["study=norway_prepost"]),
    (["abc.population_size=0"], ["abc.population_size", "> 0"]),
])
def test_bad_calibration_input_is_one_line(tmp_path, args, words):
    out = tmp_path / "never"
    proc = calibrate_cli(*args, f"out={out}")
    assert_one_line_error(proc, words, out)
