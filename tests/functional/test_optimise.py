"""Optimising sweeps (hydra/sweeper=optuna): a known optimum, constraints, the same seed the
same trials (local cores and Ray), resuming a study, bad input in one line."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from tests.conftest import ROOT, assert_one_line_error, scenario

from .test_cli import factsim, factsim_ok
from .test_sweep import ray_head  # noqa: F401 - the fixture: a real Ray head on this machine

pytest.importorskip("optuna")

CASELOAD = "organisation.teams.fact.caseload"
QUICK = ["replications=2", "warmup_years=0.25", "results_years=0.5", "n_jobs=1", "progress=false",
         "plots=false", "event_log=false"]
# the fewest staff that carry every routine contact: staff fall as the caseload rises, and the
# capacity check loses routine contacts above a caseload that follows from the staffing alone
STUDY = ["-m", "hydra/sweeper=optuna", "objective=fewest_staff", f"{CASELOAD}=int(interval(10,40))",
         "hydra.sweeper.seed=3", "hydra.sweeper.n_trials=16", "hydra.sweeper.startup_trials=6", *QUICK]
TOLERANCE = 2   # the study's best caseload is within this of the known optimum (and never above it)


def known_optimum() -> int:
    """The largest caseload whose team loses no routine contact by the capacity check,
    worked out from the staffing for every caseload of the search space (no simulation)."""
    from sim.model.capacity import team_capacity

    best = None
    for caseload in range(10, 41):
        sc = scenario(f"{CASELOAD}={caseload}")
        if all(t.routine_shortfall <= 0 for t in team_capacity(sc.care_plan(sc.organisation), sc.clinical)):
            best = caseload
    assert best is not None and 10 < best < 40   # an optimum inside the space, not at its end
    return best


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    folder = tmp_path_factory.mktemp("optuna") / "s"
    return folder, factsim_ok(*STUDY, f"hydra.sweep.dir={folder}")


def test_a_study_finds_the_known_optimum_within_its_tolerance(study):
    folder, proc = study
    trials = pd.read_parquet(folder / "trials.parquet")
    best = trials[trials.best]
    assert best[CASELOAD].nunique() == 1
    found, optimum = int(best[CASELOAD].iloc[0]), known_optimum()
    assert optimum - TOLERANCE <= found <= optimum
    assert len(trials) == 16 and (trials.state == "complete").all()
    info = json.loads((folder / "optimisation.json").read_text())
    assert info["best"][CASELOAD] == found and info["objective"] == "fewest_staff"
    assert "Best option found" in proc.stdout and "[optuna] 16/16 trials" in proc.stdout
    for name in ("optimisation_trials.png", "optimisation_levers.png"):
        assert (folder / "plots" / name).is_file()
    assert "Bedste løsning fundet" in (folder / "optimisation_da.txt").read_text()
    merged = pd.read_parquet(folder / "sweep_results.parquet")   # the ordinary merge of every job
    assert set(merged[CASELOAD]) == set(trials[trials.repeat_of.isna()][CASELOAD])


def test_a_point_that_breaks_a_constraint_is_never_best(study):
    folder, _ = study
    trials = pd.read_parquet(folder / "trials.parquet")
    best = trials[trials.best].iloc[0]
    assert best.feasible and best.routine_kept <= 0
    broken = trials[~trials.feasible]
    assert len(broken) and (broken.objective < best.objective).all()   # cheaper, and refused
    assert not broken.best.any() and not broken.option.any()
    assert json.loads((folder / "optimisation.json").read_text())["binding"] == ["routine_kept"]


def test_the_same_seed_gives_the_same_trials_table(study, tmp_path):
    folder, _ = study
    again = tmp_path / "again"
    factsim_ok(*STUDY, f"hydra.sweep.dir={again}")
    assert_frame_equal(pd.read_parquet(folder / "trials.parquet"), pd.read_parquet(again / "trials.parquet"))


def test_with_every_point_infeasible_the_study_says_so(tmp_path):
    folder = tmp_path / "none"
    proc = factsim_ok(*STUDY[:-len(QUICK)], *QUICK, "hydra.sweeper.n_trials=2",
                      "objective.constraints.routine_kept.at_most=-1", f"hydra.sweep.dir={folder}")
    assert "None of the 2 distinct points (2 trials) keeps every constraint" in proc.stdout
    info = json.loads((folder / "optimisation.json").read_text())
    assert info["best"] is None and info["options"] == [] and info["feasible_points"] == 0
    trials = pd.read_parquet(folder / "trials.parquet")
    assert not trials.feasible.any() and not trials.best.any()
    assert "Intet af de 2 forskellige punkter" in (folder / "optimisation_da.txt").read_text()


def test_an_interrupted_study_resumes_from_its_storage(study, tmp_path):
    """A study of 4 trials, then one trial cut off (asked, never told), then the same
    command asking 6: the 4 are kept (their jobs not run again), the cut-off point is asked
    again, and the study ends with 6 finished trials."""
    import optuna

    folder = tmp_path / "resume"
    first = [a if not a.startswith("hydra.sweeper.n_trials") else "hydra.sweeper.n_trials=4" for a in STUDY]
    factsim_ok(*first, f"hydra.sweep.dir={folder}")
    before = pd.read_parquet(folder / "trials.parquet")
    stamps = {job: (folder / str(job) / "manifest.json").stat().st_mtime_ns for job in before.job.dropna()}
    stored = optuna.load_study(study_name="factsim", storage=f"sqlite:///{folder / 'study.db'}")
    stored.ask({CASELOAD: optuna.distributions.IntDistribution(10, 40)})   # cut off: never told
    more = [a if not a.startswith("hydra.sweeper.n_trials") else "hydra.sweeper.n_trials=6" for a in STUDY]
    proc = factsim_ok(*more, f"hydra.sweep.dir={folder}")
    assert "resuming the study" in proc.stdout and "was cut off" in proc.stdout
    after = pd.read_parquet(folder / "trials.parquet")
    assert (after.state == "complete").sum() == 6 and (after.state == "fail").sum() == 1
    kept = after[after.trial < 4][before.columns.drop(["best", "option", "p_best"])]
    assert_frame_equal(kept.reset_index(drop=True), before[kept.columns].reset_index(drop=True), check_dtype=False)
    for job, stamp in stamps.items():   # finished jobs are not run again
        assert (folder / str(job) / "manifest.json").stat().st_mtime_ns == stamp


def test_the_same_study_on_a_real_ray_cluster_gives_the_same_trials(study, ray_head, tmp_path):  # noqa: F811
    folder, _ = study
    address, env = ray_head
    out, elsewhere = tmp_path / "ray", tmp_path / "cwd"
    elsewhere.mkdir()
    command = [sys.executable, "-m", "sim", *STUDY, "hydra/launcher=ray", f"hydra.launcher.address={address}",
               f"hydra.sweep.dir={out}"]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=elsewhere, env=env)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert "[ray]" in proc.stdout
    assert_frame_equal(pd.read_parquet(folder / "trials.parquet"), pd.read_parquet(out / "trials.parquet"))


@pytest.mark.parametrize(("args", "words"), [
    (["-m", f"{CASELOAD}=interval(10,40)"], [CASELOAD, "interval() needs an optimising sweeper"]),
    (["-m", f"{CASELOAD}=tag(log,choice(10,20))"], [CASELOAD, "tag()"]),
    (["-m", "hydra/sweeper=optuna", "objective=region_municipality_cost", "objective.terms.region.metric=nosuch",
      f"{CASELOAD}=int(interval(10,40))"], ["objective.terms.region.metric", "unknown metric"]),
    (["-m", "hydra/sweeper=optuna", "objective=region_municipality_cost",
      "objective.constraints.utilisation.metric=team_max.nosuch", f"{CASELOAD}=int(interval(10,40))"],
     ["objective.constraints.utilisation.metric", "unknown metric"]),
    (["-m", "hydra/sweeper=optuna", "objective=region_municipality_cost"],
     ["hydra.sweeper.params", "empty search space"]),
    (["-m", "hydra/sweeper=optuna", f"{CASELOAD}=int(interval(10,40))"], ["objective", "needs an objective"]),
    (["-m", "hydra/sweeper=optuna", "objective=fewest_staff",
      "organisation.teams.fact.municipal_share=interval(0.2,1.5)"],
     ["organisation.teams.fact.municipal_share", "1.5", "search space's end"]),
    (["-m", "hydra/sweeper=optuna", "objective=fewest_staff", f"{CASELOAD}=int(interval(10,40))",
      "hydra.sweeper.n_trials=0"], ["hydra.sweeper.n_trials"]),
])
def test_bad_input_to_an_optimising_sweep_is_one_line_naming_the_key(args, words, tmp_path):
    out = tmp_path / "never"
    proc = factsim(*args, f"hydra.sweep.dir={out}")
    assert_one_line_error(proc, words, out)


def test_a_folder_holding_another_study_is_refused(study, tmp_path):
    folder, _ = study
    copy = tmp_path / "other"
    shutil.copytree(folder, copy)
    proc = factsim(*[a.replace("interval(10,40)", "interval(12,40)") for a in STUDY], f"hydra.sweep.dir={copy}")
    assert proc.returncode == 2 and "holds a study of other levers" in proc.stderr
    assert proc.stderr.strip().count("\n") == 0


def test_the_optimising_sweeper_needs_no_optuna_to_be_refused_without_it():
    """Without the extra, the sweeper's module still imports (Hydra scans every plugin)."""
    proc = subprocess.run([sys.executable, "-c", "import sys; sys.modules['optuna'] = None; "
                           "import hydra_plugins.factsim_optuna.sweeper"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
