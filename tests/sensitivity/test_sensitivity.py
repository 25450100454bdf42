"""Global sensitivity on a tiny budget: a parameter the model never reads has no effect
and ranks last, the strongest lever ranks first, Sobol follows the screening, the
same settings repeat exactly in series and in parallel, and bad input is one line."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys

import pandas as pd
import pytest

from sim.research.sensitivity import Range, analyse, compose_settings

from ..conftest import ROOT, assert_one_line_error

pytest.importorskip("SALib")

# short runs; needs_municipal_offer_prob=0 makes the offer wait a parameter nobody reads
SHORT = ["warmup_years=0.3", "results_years=0.7", "clinical.needs_municipal_offer_prob=0"]
SCENARIO = "scenario=[" + ",".join(f"'{a}'" for a in SHORT) + "]"
INERT = "clinical.municipal_offer_wait_mean_days"
LEVER = "organisation.teams.fact.max_intensive_share"
PARAMETERS = {INERT: Range(10.0, 80.0), LEVER: Range(0.05, 0.6),
              "clinical.admission_prob.intensive": Range(0.25, 0.65)}


def _settings(*extra: str):
    settings, raw = compose_settings([SCENARIO, "replications=1", "morris.trajectories=4",
                                      "sobol.top=2", "sobol.base_samples=8", "progress=false",
                                      *extra])
    return dataclasses.replace(settings, parameters=PARAMETERS), raw


@pytest.fixture(scope="module")
def screened(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sensitivity")
    settings, raw = _settings("n_jobs=1")
    return folder, analyse(settings, raw, folder)


def test_a_parameter_nobody_reads_has_no_effect_and_ranks_last(screened):
    _, result = screened
    morris = result["morris"].set_index(["output", "parameter"])
    for output in ("bed_days", "coercive_admissions", "scaleups_refused"):
        assert morris.at[(output, INERT), "mu_star"] == 0.0
        assert morris.at[(output, INERT), "rank"] == 3
    # scale-ups are refused when the board's share of team time runs out: the lever ranks first
    assert morris.at[("scaleups_refused", LEVER), "rank"] == 1
    assert morris.at[("scaleups_refused", LEVER), "mu"] < 0  # a larger share, fewer refusals


def test_sobol_takes_the_screened_parameters_and_attributes_the_variance(screened):
    folder, result = screened
    assert INERT not in result["sobol_parameters"] and LEVER in result["sobol_parameters"]
    sobol = result["sobol"].set_index(["output", "parameter"])
    assert sobol.at[("scaleups_refused", LEVER), "ST"] > 0.5
    samples = pd.read_parquet(folder / "sobol_samples.parquet")
    assert len(samples) == 3 * 8 * (2 + 2)  # outputs x N (top + 2)
    assert (samples[INERT] == 37.8).all()  # held at its scenario value
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in ("morris.csv", "morris.parquet", "morris_samples.csv", "sobol.csv",
                 "plots/morris.png", "plots/sobol.png", "config.yaml", "scenario.yaml"):
        assert name in manifest["files"] and (folder / name).is_file(), name
    assert manifest["simulations"] == (result["morris_points"] + result["sobol_points"]) * 2


def test_parallel_points_repeat_the_serial_run_exactly(tmp_path, screened):
    folder, _ = screened
    settings, raw = _settings("n_jobs=2", "sobol.enabled=false")
    analyse(settings, raw, tmp_path)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "morris_samples.parquet"),
                                  pd.read_parquet(folder / "morris_samples.parquet"))
    assert not (tmp_path / "sobol.csv").exists()


def test_the_outputs_are_the_runs_own_comparison(screened):
    """A sample point's output equals the change factsim itself reports for those values."""
    folder, _ = screened
    samples = pd.read_parquet(folder / "morris_samples.parquet")
    point = samples[samples.output == "bed_days"].iloc[0]
    args = SHORT + [f"{p}={float(point[p])!r}" for p in PARAMETERS]
    args += ["replications=1", "progress=false", "n_jobs=1"]
    from sim.config.load import load
    from sim.experiments.results import compare
    from sim.experiments.runner import run_study

    from ..conftest import compose_cfg
    sc, _ = load(compose_cfg(*args))
    table = compare(run_study(sc).results, sc.baseline.name).set_index("metric")
    assert table.at["bed_days", "change_pct"] == pytest.approx(point["value"], rel=1e-9)


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim.research.sensitivity", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("args, words", [
    (["+parameters={clinical.nosuch: {low: 0, high: 1}}"], ["parameters.clinical.nosuch", "no such parameter"]),
    (["+parameters={clinical.crisis_averted_prob: {low: 0.5, high: 1.3}}"],
     ["parameters.clinical.crisis_averted_prob", "0.5-1.3", "probability"]),
    (["+parameters={clinical.los_shape: {low: 3, high: 1}}"], ["parameters.clinical.los_shape", "below"]),
    (["outputs.bed_days.metric=bed_nights"], ["outputs.bed_days.metric", "bed_days"]),
    (["outputs.bed_days.measure=ratio"], ["outputs.bed_days.measure", "change_pct"]),
    (["sobol.base_samples=100"], ["sobol.base_samples", "power of 2"]),
    (["morris.levels=3"], ["morris.levels", "even"]),
    (["scenario=['organisation=nosuch']"], ["organisation=nosuch", "fact_crosssector"]),
    (["replications=-1"], ["replications", "> 0"]),
    (["+parameters.clinical.los_shape.low=1"], ["parameters.clinical", "full dotted name"]),
])
def test_bad_sensitivity_input_is_one_line(tmp_path, args, words):
    out = tmp_path / "never"
    proc = cli(*args, f"out={out}")
    assert_one_line_error(proc, words, out)

