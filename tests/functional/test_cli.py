"""The command line as a user meets it: a small run, and bad input refused cleanly."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from ..conftest import ROOT

SMALL = ["replications=2", "warmup_years=0.25", "results_years=1", "n_jobs=1", "progress=false"]


def factsim(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def factsim_ok(*args: str) -> subprocess.CompletedProcess:
    """Run the command line and require it to succeed, showing its errors if not."""
    proc = factsim(*args)
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("run") / "out"
    return folder, factsim_ok(*SMALL, f"hydra.run.dir={folder}")


def test_a_small_run_writes_every_table_plot_and_the_manifest_last(small_run):
    folder, proc = small_run
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in ("config.yaml", "provenance.parquet", "provenance.csv", "results.parquet",
                 "results.csv", "summary.parquet", "summary.csv", "comparison.csv",
                 "timeseries.parquet", "events.parquet", "citizens.parquet",
                 "plots/comparison.png", "plots/occupancy.png", "plots/changes.png"):
        assert (folder / name).is_file(), name
        assert name in manifest["files"], name
    assert (folder / "manifest.json").stat().st_mtime >= (folder / "summary.csv").stat().st_mtime
    assert "Bed days / citizen-year" in proc.stdout


def test_the_tables_are_tidy(small_run):
    folder, _ = small_run
    results = pd.read_parquet(folder / "results.parquet")
    assert list(results.columns) == ["organisation", "replication", "metric", "value"]
    assert set(results.organisation) == {"fragmented", "fact_crosssector"}
    assert set(results.replication) == {0, 1}
    assert not results.duplicated(["organisation", "replication", "metric"]).any()
    summary = pd.read_csv(folder / "summary.csv")
    assert {"organisation", "metric", "mean", "ci_lower", "ci_upper", "n"} <= set(summary.columns)
    ok = summary.dropna(subset=["ci_lower"])
    assert (ok.ci_lower <= ok["mean"] + 1e-9).all() and (ok["mean"] <= ok.ci_upper + 1e-9).all()
    events = pd.read_parquet(folder / "events.parquet")
    assert list(events.columns) == ["organisation", "replication", "citizen", "time", "event",
                                    "state", "sector", "team"]
    assert {"enter", "deterioration", "crisis", "admission", "discharge"} <= set(events.event)


def test_the_resolved_config_and_overrides_are_saved(small_run):
    folder, _ = small_run
    import yaml
    cfg = yaml.safe_load((folder / "config.yaml").read_text())
    assert cfg["replications"] == 2 and cfg["organisation"]["name"] == "fact_crosssector"
    prov = pd.read_csv(folder / "provenance.csv").fillna("")
    row = prov.set_index("parameter").loc["replications"]
    assert row["override"] == "replications=2"
    assert prov.source.str.len().min() > 0


def test_any_organisation_and_population_run_with_overrides(tmp_path):
    proc = factsim("organisation=fact_regional", "population=horsens_klyngen", "seed=7",
                   "clinical.los_shape=2", *SMALL, f"hydra.run.dir={tmp_path / 'r'}")
    assert proc.returncode == 0, proc.stderr
    summary = pd.read_csv(tmp_path / "r" / "summary.csv")
    assert set(summary.organisation) == {"fragmented", "fact_regional"}


def test_a_cluster_run_writes_tables_per_municipality_and_team_and_the_layout_map(tmp_path):
    out = tmp_path / "r"
    factsim_ok("population=horsens_klyngen", "layout=horsens_two_teams", "layout@baseline=per_cluster",
               *SMALL, f"hydra.run.dir={out}")
    manifest = json.loads((out / "manifest.json").read_text())
    for name in ("municipalities.parquet", "municipality_summary.csv", "municipality_comparison.csv",
                 "teams.parquet", "team_summary.csv", "geography.csv", "plots/layout_map.png"):
        assert name in manifest["files"] and (out / name).is_file(), name
    munis = pd.read_csv(out / "municipality_comparison.csv")
    assert set(munis.municipality) == {"horsens", "hedensted", "skanderborg", "odder"}
    assert set(munis.organisation) == {"fact_crosssector"} and set(munis.baseline) == {"fragmented"}
    teams = pd.read_csv(out / "team_summary.csv")
    fact = teams[teams.network == "fact_crosssector"]
    assert set(fact.team) == {"fact:south", "fact:north"}
    assert set(fact.base) == {"horsens", "skanderborg"}
    capacity = pd.read_csv(out / "capacity.csv")
    north = capacity[capacity.team == "fact:north"].iloc[0]
    assert north.covers == "skanderborg odder" and north.base == "skanderborg"
    geo = pd.read_csv(out / "geography.csv")
    assert geo[["lat", "lon"]].notna().all().all() and len(geo) == 4


BAD = [
    (["organisation=nosuch"], "organisation"),
    (["population=atlantis"], "population"),
    (["clinical.deterioration_rate_per_year=-1"], "clinical.deterioration_rate_per_year"),
    (["clinical.crisis_averted_prob=1.3"], "clinical.crisis_averted_prob"),
    (["clinical.no_such_rate=1"], "clinical.no_such_rate"),
    (["+clinical.no_such_rate=1"], "clinical.no_such_rate"),
    (["organisation.teams.fact.staff.psychiatrist.fte_per_100=-2"], "fte_per_100"),
    (["-m", "clinical.los_shape=1,-1"], "clinical.los_shape"),
    (["-m", "organisation=fact_regional,nosuch"], "organisation"),
    (["replications=many"], "replications"),
]


@pytest.mark.parametrize("args, key", BAD)
def test_bad_input_is_one_line_naming_the_key_with_no_output(tmp_path, args, key):
    out = tmp_path / "out"
    proc = factsim(*args, f"hydra.run.dir={out}", f"hydra.sweep.dir={out}")
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("factsim: error:") and key in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not out.exists()


def _copy_scenarios(tmp_path):
    import shutil
    scen = tmp_path / "scenarios"
    shutil.copytree(ROOT / "scenarios", scen)
    return scen


def test_a_missing_population_file_is_one_line(tmp_path):
    """The default population's file has gone from the scenarios folder."""
    scen = _copy_scenarios(tmp_path)
    (scen / "population" / "silkeborg.yaml").unlink()
    proc = factsim(f"--config-path={scen}", f"hydra.run.dir={tmp_path / 'out'}")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "population/silkeborg" in lines[0], proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_users_own_population_folder_is_found(tmp_path):
    """``--config-dir`` adds a folder of the user's own scenarios to the shipped ones."""
    mine = tmp_path / "mine"
    (mine / "population").mkdir(parents=True)
    text = (ROOT / "scenarios" / "population" / "silkeborg.yaml").read_text()
    (mine / "population" / "mytown.yaml").write_text(text.replace("name: Silkeborg", "name: Mytown"))
    proc = factsim(f"--config-dir={mine}", "population=mytown", *SMALL,
                   f"hydra.run.dir={tmp_path / 'out'}")
    assert proc.returncode == 0, proc.stderr
    assert "Mytown" in proc.stdout


def test_ctrl_c_ends_in_one_line_with_status_130_and_no_folder(tmp_path):
    """Interrupted while the replications run: one line, exit 130, the folder removed."""
    import signal

    out = tmp_path / "out"
    # a shell without job control starts background jobs with Ctrl-C ignored, and Python
    # keeps that: restore the default, as a terminal would give it
    proc = subprocess.Popen([sys.executable, "-m", "sim", "replications=200", "n_jobs=1",
                             f"hydra.run.dir={out}"], cwd=ROOT, stderr=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    seen = ""
    while "replications (" not in seen:   # the run has started simulating
        char = proc.stderr.read(1)
        assert char, "factsim ended before it started simulating"
        seen += char
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()   # never leave a run going if the interrupt was not honoured
    assert proc.returncode == 130
    lines = [ln for ln in err.replace("\r", "\n").splitlines()
             if ln.strip() and "replications (" not in ln]
    assert lines == ["factsim: interrupted; nothing unfinished is kept as finished"], err[-500:]
    assert not out.exists()
