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
from sim.research.calibrate import Prior, Priors, base_configs, calibrate, compose_settings
from sim.research.designs import Designs
from sim.research.targets import Target, TargetSet

from ..conftest import ROOT, assert_one_line_error

pytest.importorskip("pyabc")

# a short study keeps each simulation (2 replications) near 0.25 s
STUDY = ("study=norway_prepost", "study.pre_months=12", "study.post_months=12",
         "study.enrolment.lookback_months=6")
FAST = ["scenario=['organisation=fact_crosssector','warmup_years=0.5']", "targets=[strategy_paper]",
        "targets.strategy_paper.scenario=[" + ",".join(f"'{o}'" for o in STUDY) + "]",
        "replications_per_simulation=2", "abc.sampler=single", "abc.n_procs=1",
        "posterior_predictive_draws=4", "prior_predictive_draws=0"]
PARAM = "clinical.coercion_prob.intensive"
TRUE = 0.12   # the value in scenarios/clinical/assumed.yaml
PRIOR = Prior(low=0.01, high=0.25)   # at most standard care's 0.25: a wider prior is refused
ADMISSION = "clinical.admission_prob.intensive"


def prepost_set(ratios: dict[str, float]) -> TargetSet:
    return TargetSet(design="prepost", label="made by the model", scenario=STUDY,
                     targets={m: Target(v, v - 0.1, v + 0.1) for m, v in ratios.items()})


def _settings(*extra: str, targets: dict[str, float] | None = None):
    settings, raw = compose_settings(FAST + list(extra))
    settings = dataclasses.replace(settings, priors=Priors({PARAM: PRIOR}))
    if targets is not None:
        settings = dataclasses.replace(settings, targets={"synthetic": prepost_set(targets)})
    return settings, raw


def posterior_sd(particles: pd.DataFrame, name: str) -> float:
    w = particles.weight / particles.weight.sum()
    return float(np.sqrt((w * (particles[name] - (w * particles[name]).sum()) ** 2).sum()))


@pytest.fixture(scope="module")
def synthetic_targets():
    """Ratios the model gives at the true value, from many more citizens than one simulation."""
    settings, _ = _settings(targets={"admissions": 1.0})
    sim = Designs(base_configs(settings), settings.targets, [PARAM], replications=16, seed=99)
    stats = sim.statistics({PARAM: TRUE}, "truth")
    return {m: stats[f"synthetic.{m}"] for m in ("admissions", "bed_days", "coercive_admissions")}


@pytest.fixture(scope="module")
def recovered(tmp_path_factory, synthetic_targets):
    """A tiny calibration to the synthetic targets: 3 generations of 30 particles (about
    550 simulations, about 2 minutes on one core; deterministic on the single-core sampler)."""
    folder = tmp_path_factory.mktemp("recovered")
    settings, raw = _settings("abc.population_size=30", "abc.max_generations=3",
                              "prior_predictive_draws=6", targets=synthetic_targets)
    return folder, calibrate(settings, raw, folder)


def test_calibration_recovers_a_known_parameter(recovered, synthetic_targets):
    folder, result = recovered
    row = result["summary"].set_index("parameter").loc[PARAM]
    assert row.ci_lower <= TRUE <= row.ci_upper, row.to_dict()
    # and it learnt something: the posterior is clearly narrower than the uniform prior
    post = pd.read_parquet(folder / "posterior.parquet")
    assert posterior_sd(post, PARAM) < 0.75 * (PRIOR.high - PRIOR.low) / np.sqrt(12)
    assert result["generations"] == 3 and result["simulations"] >= 3 * 30
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in ("abc.db", "posterior.parquet", "posterior_summary.csv", "ppc_summary.csv",
                 "plots/posterior_pairs.png", "plots/ppc.png", "target_pull.csv", "plots/target_pull.png",
                 "scenario_synthetic.yaml", "calibrated/clinical/fitted.yaml",
                 "calibrated/uncertainty/fitted_posterior.yaml"):
        assert name in manifest["files"] and (folder / name).is_file(), name
    assert manifest["designs"] == ["prepost"]
    ppc = pd.read_csv(folder / "ppc_summary.csv").set_index("metric")
    assert ppc.loc["admissions", "target"] == pytest.approx(synthetic_targets["admissions"])
    assert set(ppc.index) == {"admissions", "bed_days", "coercive_admissions"}
    assert ppc.met.dtype == bool and 0 <= result["targets_met"] <= 3
    pull = pd.read_csv(folder / "target_pull.csv")
    assert set(pull.parameter) == {PARAM} and pull.spearman.between(-1, 1).all()


def test_the_calibrated_config_runs_as_a_scenario(tmp_path, recovered):
    folder, result = recovered
    median = result["summary"].set_index("parameter").at[PARAM, "median"]
    proc = subprocess.run([sys.executable, "-m", "sim", "--config-dir", str(folder / "calibrated"),
                           "clinical=fitted", "replications=1", "results_years=0.5",
                           "warmup_years=0.1", "progress=false", f"hydra.run.dir={tmp_path / 'run'}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    prov = pd.read_csv(tmp_path / "run" / "provenance.csv").set_index("parameter")
    assert float(prov.at[PARAM, "value"]) == pytest.approx(median, abs=1e-6)
    assert prov.at[PARAM, "source"].startswith("calibrated: factsim-calibrate")


def test_the_posterior_gives_parameter_draws_of_whole_particles(tmp_path, recovered):
    folder, _ = recovered
    proc = subprocess.run([sys.executable, "-m", "sim", "--config-dir", str(folder / "calibrated"),
                           "clinical=fitted", "uncertainty=fitted_posterior", "uncertainty.draws=3",
                           "replications=1",
                           "results_years=0.5", "warmup_years=0.1", "progress=false", "event_log=false",
                           f"hydra.run.dir={tmp_path / 'run'}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    draws = pd.read_csv(tmp_path / "run" / "draws.csv")
    particles = pd.read_parquet(folder / "posterior.parquet")[PARAM].to_numpy()
    drawn = draws[draws.parameter == PARAM].value.to_numpy()
    # each drawn value is one particle's (the YAML keeps 6 significant digits)
    assert len(drawn) == 3 and all(np.abs(particles - v).min() < 1e-5 for v in drawn)
    # the assumptions the calibration did not fit keep their ranges
    assert "clinical.handover_loss_prob" in set(draws.parameter)


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
    bad = dataclasses.replace(settings, priors=Priors({ADMISSION: Prior(0.5, 1.5)}))
    with pytest.raises(ConfigError, match="clinical.admission_prob.intensive: the range 0.5-1.5 is not allowed"):
        base_configs(bad)
    missing = dataclasses.replace(settings, priors=Priors({"clinical.nosuch": Prior(0, 1)}))
    with pytest.raises(ConfigError, match="clinical.nosuch: no such parameter"):
        base_configs(missing)


def test_a_prior_that_could_flip_a_direction_is_refused():
    """More support never makes a crisis likelier to end in admission: a prior that lets
    intensive care's chance exceed standard care's is refused, alone or with another's."""
    settings, _ = _settings()
    # from the hand-set values: intensive 0.45, standard 0.65, none 0.85
    settings = dataclasses.replace(settings, scenario=(*settings.scenario, "clinical=assumed"))
    alone = dataclasses.replace(settings, priors=Priors({ADMISSION: Prior(0.2, 0.9)}))
    with pytest.raises(ConfigError, match="at most clinical.admission_prob.standard"):
        base_configs(alone)
    together = dataclasses.replace(settings, priors=Priors({
        ADMISSION: Prior(0.3, 0.6), "clinical.admission_prob.standard": Prior(0.5, 0.8)}))
    # each end alone passes (0.6 <= 0.65; 0.5 >= 0.45), together they could flip
    with pytest.raises(ConfigError, match=r"clinical.admission_prob.intensive \(0.6\) exceed "
                                          r"clinical.admission_prob.standard \(0.5\)"):
        base_configs(together)
    fine = dataclasses.replace(settings, priors=Priors({
        ADMISSION: Prior(0.3, 0.5), "clinical.admission_prob.standard": Prior(0.5, 0.8)}))
    base_configs(fine)


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
    assert "simulations in" in again.stdout and "targets met" in again.stdout


@pytest.mark.parametrize("args, words", [
    (["targets=nosuch"], ["targets=nosuch", "centre", "strategy_paper", "burns2007"]),
    (["targets=[]"], ["targets:", "at least one target set"]),
    (["abc.sampler=gpu"], ["abc.sampler", "multicore, single"]),
    (["targets.strategy_paper.targets.bed_days.value=-1"],
     ["targets.strategy_paper.targets.bed_days", "low <= value <= high"]),
    (["+targets.strategy_paper.targets.happiness={value: 1, low: 0.9, high: 1.1}"],
     ["targets.strategy_paper.targets.happiness", "not a prepost metric", "admissions"]),
    (["targets.dk_baseline.design=cohort"], ["targets.dk_baseline.design", "prepost, baseline, side_by_side"]),
    (["+targets.dk_baseline.targets.bed_days={value: 1, low: 0.9, high: 1.1}"],
     ["targets.dk_baseline.targets.bed_days", "not a baseline metric", "mean_length_of_stay"]),
    (["targets.burns2007.weight=-1"], ["targets.burns2007.weight", ">= 0"]),
    (["targets.strategy_paper.weight=0", "targets.dk_baseline.weight=0", "targets.burns2007.weight=0",
      "targets.dieterich2017.weight=0"], ["targets:", "weight > 0"]),
    (["targets.dieterich2017.scenario=['organisation=nowhere']"], ["organisation=nowhere", "fact_regional"]),
    (["+targets.dieterich2017.targets.days_happy={value: 1, low: 0.9, high: 1.1}"],
     ["targets.dieterich2017.targets.days_happy", "not a side_by_side metric", "people_admitted"]),
    (["priors.parameters={clinical.admission_prob.intensive: {low: 0.2, high: 0.9}}"],
     ["clinical.admission_prob.intensive", "at most clinical.admission_prob.standard"]),
    (["priors.parameters={clinical.inreach_los_ratio: {low: 0.4, high: 1.2}}"],
     ["clinical.inreach_los_ratio", "(0, 1]"]),
    (["~targets.strategy_paper.targets"],
     ["targets.strategy_paper.targets", "at least one target"]),
    (["targets.burns2007.scenario=['study=norway_prepost']"],
     ["targets.burns2007.scenario", "without a pre/post study"]),
    (["targets.strategy_paper.scenario=[]"], ["targets.strategy_paper.scenario", "study=norway_prepost"]),
    (["extra_targets=[/nonexistent/trial.yaml]"], ["extra_targets", "/nonexistent/trial.yaml", "no such file"]),
    (["resume=/nonexistent/folder"], ["resume=", "abc.db"]),
    (["scenario=['organisation=nosuch']"], ["organisation=nosuch", "fact_crosssector"]),
    (["abc.population_size=0"], ["abc.population_size", "> 0"]),
])
def test_bad_calibration_input_is_one_line(tmp_path, args, words):
    out = tmp_path / "never"
    proc = calibrate_cli(*args, f"out={out}")
    assert_one_line_error(proc, words, out)


@pytest.mark.parametrize("text, words", [
    ("design: [unclosed", ["not readable YAML"]),
    ("- just a list", ["must be a mapping"]),
    ("design: side_by_side\nlabel: t\ntargets: {happiness: {value: 1, low: 0.5, high: 1.5}}\n",
     ["targets.trial.targets.happiness", "not a side_by_side metric"]),
    ("design: side_by_side\nlabel: t\nweight: -2\ntargets: {bed_days: {value: 0.9, low: 0.8, high: 1.0}}\n",
     ["targets.trial.weight", ">= 0"]),
])
def test_a_broken_extra_target_file_is_one_line(tmp_path, text, words):
    path = tmp_path / "trial.yaml"
    path.write_text(text)
    out = tmp_path / "never"
    proc = calibrate_cli(f"extra_targets=[{path}]", f"out={out}")
    assert_one_line_error(proc, words, out)


def test_a_researchers_controlled_study_is_added_from_a_file(tmp_path):
    path = tmp_path / "my_trial.yaml"
    path.write_text("design: side_by_side\nlabel: my trial\nscenario: [results_years=1]\n"
                    "targets:\n  bed_days: {value: 0.9, low: 0.8, high: 1.0}\n"
                    "sources: {design: 'assumption: a test'}\n")
    settings, raw = compose_settings(FAST + [f"extra_targets=[{path}]"])
    assert list(settings.targets) == ["strategy_paper", "my_trial"]
    assert settings.targets["my_trial"].targets["bed_days"] == Target(0.9, 0.8, 1.0)
    assert raw["targets"]["my_trial"]["sources"] == {"design": "assumption: a test"}
    configs = base_configs(settings)
    assert configs["my_trial"].get("study") is None and configs["strategy_paper"]["study"] is not None
