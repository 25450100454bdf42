"""Planners' sweeps: local (joblib) and Ray launchers, merge, resume, validation first."""
from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from ..conftest import ROOT
from .test_cli import SMALL, factsim, factsim_ok

# the hand-set mechanism strengths, whose direction the merge check below relies on (more
# case managers detect more deteriorations and avert more crises); with the calibrated
# ones intensive care admits more often per crisis and the direction is not guaranteed
SWEEP = ["-m", "organisation.teams.fact.caseload=15,35", "clinical=assumed", *SMALL]


@pytest.fixture(scope="module")
def joblib_sweep(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep") / "s"
    return folder, factsim_ok(*SWEEP, f"hydra.sweep.dir={folder}")


def test_a_sweep_is_merged_into_one_tidy_table(joblib_sweep):
    folder, proc = joblib_sweep
    results = pd.read_parquet(folder / "sweep_results.parquet")
    assert list(results.columns[:2]) == ["job", "organisation.teams.fact.caseload"]
    assert set(results["organisation.teams.fact.caseload"]) == {15, 35}
    summary = pd.read_csv(folder / "sweep_summary.csv")
    bed = summary[(summary.metric == "bed_days_per_citizen_year")
                  & (summary.organisation == "fact_crosssector")].set_index(
        "organisation.teams.fact.caseload")
    # fewer case managers (caseload 35) detect less and scale up less: more bed days
    assert bed.loc[35, "mean"] > bed.loc[15, "mean"]
    info = json.loads((folder / "sweep.json").read_text())
    assert info["swept"] == ["organisation.teams.fact.caseload"] and info["missing"] == []
    assert (folder / "plots" / "sweep_lines.png").is_file()
    assert "plots/sweep_changes.png" in info["files"]   # the paired change per point
    assert "Merged 2 of 2 jobs" in proc.stdout
    assert "Done" in proc.stderr + proc.stdout  # joblib's progress lines


def test_an_interrupted_sweep_keeps_its_jobs_and_fills_only_the_gaps(joblib_sweep, tmp_path):
    done, _ = joblib_sweep
    folder = tmp_path / "s"
    shutil.copytree(done, folder)
    before = pd.read_parquet(folder / "sweep_results.parquet")
    (folder / "1" / "manifest.json").unlink()          # job 1 never finished
    merged = factsim_merge(folder)
    # the finished job is merged; the exit status says the sweep is not complete
    assert merged.returncode == 3 and "1 unfinished: 1" in merged.stdout
    assert merged.stderr.strip() == "factsim-merge: incomplete: 1 of 2 jobs unfinished (exit status 3)"
    proc = factsim_ok(*SWEEP, f"hydra.sweep.dir={folder}")
    assert "[job 0] already finished" in proc.stdout
    assert "[job 1] organisation.teams.fact.caseload=35" in proc.stdout
    after = pd.read_parquet(folder / "sweep_results.parquet")
    assert_frame_equal(before, after)


def factsim_merge(folder):
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "sim.output.merge", str(folder)], capture_output=True,
                          text=True, timeout=120)


def test_merge_of_a_folder_that_is_not_a_sweep_says_so(tmp_path):
    proc = factsim_merge(tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "not a sweep folder" in proc.stderr


def test_a_bad_value_in_a_configured_sweep_fails_before_any_job(tmp_path):
    out = tmp_path / "s"
    proc = factsim("-m", "+experiment=staffing", "organisation.teams.fact.municipal_share=0.5,1.5",
                   f"hydra.sweep.dir={out}")
    assert proc.returncode == 2
    assert "organisation.teams.fact.municipal_share" in proc.stderr
    assert not out.exists()


def test_one_team_per_municipality_drives_less_than_one_team_for_the_cluster(tmp_path):
    """The Horsens experiment: four local teams drive less than two, two less than one
    shared team; the merge gathers every point's tables per municipality and per team."""
    folder = tmp_path / "h"
    factsim_ok("-m", "+experiment=horsens_layouts", *SMALL, f"hydra.sweep.dir={folder}")
    s = pd.read_parquet(folder / "sweep_summary.parquet")
    drive = s[(s.metric == "driving_hours") & (s.organisation == "fact_crosssector")].set_index("layout")["mean"]
    assert drive["per_municipality"] < drive["horsens_two_teams"] < drive["one_team"]
    teams = pd.read_parquet(folder / "sweep_team_summary.parquet")
    fact = teams[(teams.network == "fact_crosssector") & (teams.metric == "staff_fte_regional")]
    assert fact.groupby("layout").team.nunique().to_dict() == {"one_team": 1, "horsens_two_teams": 2,
                                                              "per_municipality": 4}
    munis = pd.read_parquet(folder / "sweep_municipality_comparison.parquet")
    assert set(munis.municipality) == {"horsens", "hedensted", "skanderborg", "odder"}
    assert set(munis.layout) == {"one_team", "horsens_two_teams", "per_municipality"}


DRAWS_SWEEP = ["-m", "organisation.teams.fact.caseload=15,35", "uncertainty=ranges", "uncertainty.draws=3", *SMALL]
ROLLOUT = ["rollout=silkeborg", "rollout.last_year=2026", "replications=2", "warmup_years=0.5", "n_jobs=1",
           "progress=false"]


@pytest.fixture(scope="module")
def draws_sweep(tmp_path_factory):
    folder = tmp_path_factory.mktemp("draws") / "s"
    factsim_ok(*DRAWS_SWEEP, f"hydra.sweep.dir={folder}")
    return folder


@pytest.fixture
def ray_head(tmp_path):
    """A real Ray cluster on this machine, started as a planner starts one (``ray start
    --head``), stopped by its own process id: its address."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    pytest.importorskip("ray")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ray = Path(sys.executable).with_name("ray")
    import tempfile
    short = tempfile.mkdtemp(prefix="ray")   # Ray's socket paths must stay short
    # without token authentication, so that the test does not depend on a token in the
    # user's home (a fresh machine has none; docs/planners.md says how a real cluster uses one)
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled"}
    head = subprocess.Popen([str(ray), "start", "--head", "--block", f"--port={port}", "--num-cpus=2",
                             "--node-ip-address=127.0.0.1", f"--temp-dir={short}",
                             "--include-dashboard=false", "--disable-usage-stats"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            start_new_session=True)
    address = f"127.0.0.1:{port}"
    try:
        for _ in range(20):   # ready when a client can connect
            try:
                probe = subprocess.run([sys.executable, "-c", f"import ray; ray.init(address='{address}')"],
                                       capture_output=True, text=True, env=env, timeout=60)
            except subprocess.TimeoutExpired:
                continue
            if probe.returncode == 0:
                break
            assert head.poll() is None, head.stdout.read()[-3000:]
            time.sleep(2)
        else:
            raise AssertionError("the Ray head did not answer")
        yield address, env
    finally:
        os.killpg(head.pid, signal.SIGTERM)   # ray start --block stops what it started
        try:
            head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)
            head.wait()
        import shutil
        shutil.rmtree(short, ignore_errors=True)


def test_the_same_sweep_on_a_real_ray_cluster_gives_the_same_tables(draws_sweep, ray_head, tmp_path):
    """The cluster path: the jobs run as Ray tasks on a running Ray head (by its address),
    each with its parameter draws; the workers return their files and the driver writes
    them, so the tables are exactly the local launcher's; a re-run keeps every job."""
    import subprocess
    import sys
    address, env = ray_head
    folder = tmp_path / "ray"
    elsewhere = tmp_path / "cwd"   # the driver's folder is not the workers' working directory
    elsewhere.mkdir()
    command = [sys.executable, "-m", "sim", *DRAWS_SWEEP, "hydra/launcher=ray",
               f"hydra.launcher.address={address}", f"hydra.sweep.dir={folder}"]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=elsewhere, env=env)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert "[ray] 2/2 jobs done" in proc.stdout
    for table in ("sweep_results", "sweep_draw_changes", "sweep_uncertainty", "sweep_comparison",
                  "sweep_best_probability", "sweep_value_of_information"):
        assert_frame_equal(pd.read_parquet(draws_sweep / f"{table}.parquet"),
                           pd.read_parquet(folder / f"{table}.parquet"))
    for job in ("0", "1"):
        assert_frame_equal(pd.read_parquet(draws_sweep / job / "draws.parquet"),
                           pd.read_parquet(folder / job / "draws.parquet"))
    assert not list(elsewhere.iterdir())   # nothing written where the workers ran
    again = subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=elsewhere, env=env)
    assert again.returncode == 0, again.stderr[-3000:]
    assert again.stdout.count("already finished") == 2 and "[ray]" not in again.stdout
    # roll-out plans on the cluster: each job's projection is the one a local run makes
    plans, local = tmp_path / "plans", tmp_path / "local"
    starts = "rollout.sites.catchment.start=2025-03-01,2025-09-01"
    proc = subprocess.run([sys.executable, "-m", "sim", "-m", *ROLLOUT, starts, "hydra/launcher=ray",
                           f"hydra.launcher.address={address}", f"hydra.sweep.dir={plans}"],
                          capture_output=True, text=True, timeout=900, cwd=elsewhere, env=env)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    proc = subprocess.run([sys.executable, "-m", "sim", *ROLLOUT, "rollout.sites.catchment.start=2025-03-01",
                           f"hydra.run.dir={local}"], capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    merged = pd.read_parquet(plans / "sweep_projection_summary.parquet")
    assert set(merged.job.astype(str)) == {"0", "1"}
    assert_frame_equal(pd.read_parquet(plans / "0" / "projection_summary.parquet"),
                       pd.read_parquet(local / "projection_summary.parquet"))


def test_a_sweep_carries_parameter_draws_into_every_point(draws_sweep):
    folder = draws_sweep
    unc = pd.read_parquet(folder / "sweep_uncertainty.parquet")
    bed = unc[unc.metric == "bed_days_per_citizen_year"]
    assert sorted(bed["organisation.teams.fact.caseload"]) == [15, 35]
    assert (bed.change_pct_lower <= bed.change_pct).all() and (bed.change_pct <= bed.change_pct_upper).all()
    assert set(pd.read_parquet(folder / "sweep_draw_changes.parquet").draw) == {0, 1, 2}
    for job in ("0", "1"):   # each point's figures are the job's own
        own = pd.read_parquet(folder / job / "uncertainty_summary.parquet").set_index(["organisation", "metric"])
        merged = unc[unc.job == job].set_index(["organisation", "metric"])
        assert_frame_equal(merged[own.columns], own, check_like=True)
    voi = pd.read_parquet(folder / "sweep_value_of_information.parquet")
    for job in ("0", "1"):   # each point's value of information is the job's own
        own = pd.read_parquet(folder / job / "value_of_information.parquet")
        assert_frame_equal(voi[voi.job == job][own.columns].reset_index(drop=True), own)
    summary = pd.read_parquet(folder / "sweep_summary.parquet")
    assert (summary.n == 3 * 2).all()   # pooled over draws x replications
    comparison = pd.read_parquet(folder / "sweep_comparison.parquet")
    assert (comparison.n == 3 * 2).all()   # paired by draw and replication
    assert (folder / "plots" / "sweep_changes.png").is_file()   # the change per point over the draws
    assert "plots/sweep_changes.png" in json.loads((folder / "sweep.json").read_text())["files"]


def test_a_sweep_report_is_in_danish_with_the_paired_change_per_point(joblib_sweep):
    import subprocess
    import sys
    folder, _ = joblib_sweep
    made = subprocess.run([sys.executable, "-m", "sim.output.report", str(folder), "-o", str(folder / "r.html")],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    page = (folder / "r.html").read_text(encoding="utf-8").replace("\u00a0", " ").replace("\u2011", "-")
    assert page.count("data:image/png;base64,") == 2   # the paired change, the levels
    assert "<img alt=\"sweep_changes\"" in page and "Gennemsnit (95 %-interval)" in page
    for english in ("Mean with 95 %", "bed_days_per_citizen_year", "Cross-sectoral FACT team", "mean (95 %)"):
        assert english not in page, english
    assert "sengedage (pr. borger-år)" in page and "Tværsektorielt FACT-team" in page
    # the swept parameter by its Danish name, in the intro and the table's header
    import re
    assert page.count("borgere pr. behandler") >= 3   # the intro, the table, the appendix
    assert "caseload" not in re.sub(r"<code>.*?</code>", "", page)   # only where quoted as typed
