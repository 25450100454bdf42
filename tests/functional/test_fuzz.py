"""Fuzz the five commands with malformed values, files and folders.

Every case must end as a clean refusal: exit status 2, one line (two at most) that
starts with ``<command>: error:``, no traceback, and no output folder that looks
finished. The cases are generated from tables (keys x malformed values; broken files
and folders), and every failure found later becomes a case here. The commands run in
this process (``main(argv)``), so several hundred cases take about a minute.
"""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from sim.apps import cli
from sim.output import merge, report
from sim.output.run_folder import finished_manifest, is_complete
from sim.research import calibrate, sensitivity

from ..conftest import ROOT

# a finite number is meant everywhere below: each of these is refused for every key
NOT_A_NUMBER = ["inf", "-inf", ".inf", "nan", "1e400", "abc", "'12'", "[1,2]", "{a: 1}", "null", "true",
                "9" * 5000, "1.5.2", ""]
NEGATIVE = ["-1", "-0.5", "-1e-9"]

# keys whose allowed values are all >= 0 (float or int), and probabilities
FACTSIM_NUMBERS = [
    "seed", "replications", "warmup_years", "results_years",
    "clinical.deterioration_rate_per_year", "clinical.los_mean_days.voluntary",
    "clinical.course.unwell_mean_days", "clinical.municipal_offer_wait_mean_days",
    "population.exit_rate_per_year", "population.severity_shape",
    "population.municipalities.silkeborg.adults",
    "population.municipalities.silkeborg.target_per_1000_adults",
    "population.municipalities.silkeborg.travel_minutes_local",
    "organisation.teams.fact.staff.psychiatrist.fte_per_100",
]
FACTSIM_PROBABILITIES = ["clinical.crisis_averted_prob", "clinical.admission_prob.intensive",
                         "clinical.handover_loss_prob", "population.dual_diagnosis_share"]
SMALL = ["replications=1", "warmup_years=0", "results_years=0.1", "n_jobs=1", "progress=false"]


def factsim_cases() -> list[list[str]]:
    cases = [[f"{k}={v}"] for k in FACTSIM_NUMBERS for v in NOT_A_NUMBER + NEGATIVE]
    cases += [[f"{k}={v}"] for k in FACTSIM_PROBABILITIES for v in ["1.3", "-0.1", "2", "inf", "nan", "x"]]
    cases += [[arg] for arg in [
        "organisation=nosuch", "organisation@baseline=nosuch", "population=atlantis", "clinical=nosuch",
        "uncertainty=nosuch", "study=nosuch", "nosuch=1", "clinical.nosuch=1", "+clinical.nosuch=1",
        "population.municipalities.atlantis.adults=5", "hydra.foo=1", "hydra/launcher=nosuch",
        "replications=1,2", "seed=range(1,3)", "n_jobs=0", "n_jobs=-2",
        "uncertainty.draws=-1", "uncertainty.reduction_pct=inf",
        "+uncertainty.parameters={clinical.nosuch: {distribution: uniform, low: 0, high: 1}}",
        "clinical.course=5", "population.municipalities=[]", "=1", "seed=",
        "organisation.teams=null", "population.age_bands.18-29=0.9",
    ]]
    cases += [["uncertainty=ranges", "uncertainty.parameters.clinical.crisis_averted_prob.high=1.3"],
              ["uncertainty=ranges", "uncertainty.parameters.clinical.crisis_averted_prob.low=0.9"]]
    cases += [["-m", arg] for arg in [
        "seed=interval(1,2)", "organisation=glob(zzz*)", "replications=range(1,100000000)",
        "organisation=fact_regional,nosuch", "clinical.los_shape=1,-1", "results_years=1,inf",
        "seed=1,abc",
    ]]
    cases += [["--config-dir", "/nonexistent/folder"], ["--config-dir="], ["--config-name", "nosuch"]]
    return cases


def run(main, argv: list[str], capsys) -> tuple[int, str]:
    """Run a command's main in this process; return its exit status and its stderr."""
    capsys.readouterr()
    try:
        main(argv)
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    out, err = capsys.readouterr()
    return code, err + ("" if code == 2 else out)


def assert_refused(code: int, text: str, tool: str) -> None:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert code == 2, text[-2000:]
    assert 1 <= len(lines) <= 2 and lines[-1].startswith(f"{tool}: error:"), text[-2000:]
    assert "Traceback" not in text
    assert len(lines[-1]) < 1500, lines[-1][:200]   # a long value is cut, not echoed


def factsim_main(argv: list[str]) -> None:
    saved = sys.argv
    sys.argv = ["factsim", *argv]
    try:
        cli.main()
    finally:
        sys.argv = saved


@pytest.mark.parametrize("case", factsim_cases(), ids=lambda c: " ".join(c)[:60])
def test_factsim_refuses_malformed_values(case, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("HYDRA_FULL_ERROR", raising=False)
    out = tmp_path / "out"
    given = {a.partition("=")[0] for a in case}
    small = [a for a in SMALL if a.partition("=")[0] not in given]
    code, text = run(factsim_main, [*case, *small, f"hydra.run.dir={out}", f"hydra.sweep.dir={out}"],
                     capsys)
    assert_refused(code, text, "factsim")
    assert not out.exists()


# a planner's team layout that does not fit the catchment: (arguments, words the one line must hold)
HORSENS_TWO = ["population=horsens_klyngen", "layout=horsens_two_teams"]
LAYOUT_BAD = [
    (["layout=nosuch"], ["layout=nosuch", "unknown layout", "per_cluster"]),
    (["layout=midtjylland_hubs"], ["organisation.layout.sites.east.base", "'aarhus'", "not a municipality"]),
    (["population=horsens_klyngen", "layout=midtjylland_shared"], ["sites.aarhus.base", "allowed: horsens"]),
    (["population=midtjylland", "layout=horsens_two_teams"], ["organisation.layout.sites", "'aarhus'",
                                                              "covered by no site"]),
    ([*HORSENS_TWO, "organisation.layout.sites.north.covers=[skanderborg,odder,horsens]"],
     ["sites.north.covers", "'horsens'", "already covered by site 'south'"]),
    ([*HORSENS_TWO, "organisation.layout.sites.north.covers=[skanderborg,atlantis]"],
     ["sites.north.covers", "'atlantis'", "not a municipality"]),
    ([*HORSENS_TWO, "organisation.layout.sites.north.covers=[]"], ["sites.north.covers", "at least one"]),
    ([*HORSENS_TWO, "+organisation.layout.sites.north.fte={fact: 0}"], ["sites.north.fte.fact = 0", "> 0"]),
    ([*HORSENS_TWO, "+organisation.layout.sites.north.fte={nosuch: 3}"], ["sites.north.fte.nosuch",
                                                                          "no team 'nosuch'", "allowed: fact"]),
    ([*HORSENS_TWO, "+organisation.layout.sites.north.municipal_share={fact: 1.5}"],
     ["sites.north.municipal_share.fact = 1.5", "probability"]),
    ([*HORSENS_TWO, "population.municipalities.skanderborg.residents=0",
      "population.municipalities.odder.residents=0"], ["sites.north", "no staff", "fte.fact"]),
    (["layout@baseline=horsens_two_teams"], ["baseline.layout.sites.south.base", "'horsens'"]),
    (["layout=per_cluster"], ["organisation.team_base = cluster", "no clusters"]),
    (["organisation.team_base=layout"], ["organisation.team_base = layout", "layout=<name>"]),
    (["population=horsens_klyngen", "organisation.team_base=clusters"], ["organisation.team_base",
                                                                          "catchment, municipality, cluster, layout"]),
    (["population=midtjylland", "population.select_clusters=[nosuch]"], ["population.select_clusters",
                                                                          "'nosuch'", "allowed: aarhus"]),
    (["population=midtjylland", "population.municipalities.aarhus.lat=95"], ["municipalities.aarhus.lat = 95"]),
    (["population=midtjylland", "population.municipalities.aarhus.cluster=north"],
     ["municipalities.aarhus.cluster = 'north'", "unknown cluster"]),
    (["population=horsens_klyngen", "population.base=aarhus"], ["population.base = 'aarhus'",
                                                                "not a municipality of the catchment"]),
    (["population=midtjylland", "population.adult_share=null"], ["population.adult_share", "residents"]),
    (["population=midtjylland", "population.driving=null"], ["population.driving", "speed_kmh"]),
    (["population=midtjylland", "population.driving.speed_kmh=0"], ["population.driving.speed_kmh = 0", "> 0"]),
    (["+population.municipalities.silkeborg.residents=90000"], ["municipalities.silkeborg", "adults or residents"]),
]


@pytest.mark.parametrize("case, words", LAYOUT_BAD, ids=lambda c: " ".join(c)[:70] if isinstance(c, list) else "")
def test_factsim_refuses_a_layout_or_region_that_does_not_fit(case, words, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("HYDRA_FULL_ERROR", raising=False)
    out = tmp_path / "out"
    code, text = run(factsim_main, [*case, *SMALL, f"hydra.run.dir={out}", f"hydra.sweep.dir={out}"], capsys)
    assert_refused(code, text, "factsim")
    for word in words:
        assert word in text, text
    assert not out.exists()


@pytest.fixture
def scenarios(tmp_path):
    """A folder of the user's own scenarios (--config-dir), to break."""
    mine = tmp_path / "mine"
    (mine / "population").mkdir(parents=True)
    return mine


@pytest.mark.parametrize("text", [
    "name: mytown\nmunicipalities: {a: {adults: [1,\n",        # YAML syntax error
    "- a list, not a mapping\n",
    "name: mytown\n",                                           # missing keys
    "\x00\x01binary",
    "name: mytown\nmunicipalities: {a: {adults: 1000, target_per_1000_adults: .inf, "
    "travel_minutes_local: 10, travel_minutes_cluster: 20}}\n",
])
def test_factsim_refuses_a_broken_file_of_the_users_own(text, scenarios, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("HYDRA_FULL_ERROR", raising=False)
    base = (ROOT / "scenarios" / "population" / "silkeborg.yaml").read_text()
    if text.startswith("name: mytown\nmunicipalities: {a: {adults: 1000"):
        text = base.replace("name: silkeborg", "name: mytown").split("municipalities:")[0] + text.split("\n", 1)[1]
    (scenarios / "population" / "mytown.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
    out = tmp_path / "out"
    code, err = run(factsim_main, ["--config-dir", str(scenarios), "population=mytown", *SMALL,
                                   f"hydra.run.dir={out}"], capsys)
    assert_refused(code, err, "factsim")
    assert not out.exists()


CALIBRATE = [
    "targets=nosuch", "targets=[]", "abc.sampler=gpu", "abc.population_size=0", "abc.population_size=inf",
    "abc.max_generations=-1", "abc.max_walltime_minutes=nan", "abc.n_procs=0", "abc.seed=abc",
    "replications_per_simulation=0", "replications_per_simulation=1e400", "posterior_predictive_draws=-3",
    "targets.burns2007.weight=-1", "targets.burns2007.weight=inf", "targets.strategy_paper.targets.bed_days.value=inf",
    "targets.strategy_paper.targets.bed_days.low=nan", "targets.dk_baseline.design=cohort",
    "priors.parameters.clinical.crisis_averted_prob.high=1.3",
    "priors.parameters.clinical.crisis_averted_prob.high=inf",
    "priors.parameters.clinical.crisis_averted_prob.low=0.95",
    "+priors.parameters={clinical.nosuch: {low: 0, high: 1}}",
    "scenario=['organisation=nosuch']", "scenario=[organisation=nosuch,clinical=assumed]",
    "scenario=['replications=1,2']", "extra_targets=[/nonexistent/trial.yaml]", "resume=/nonexistent/folder",
    "nosuch=1", "abc.nosuch=1", "hydra.foo=1", "=",
]


@pytest.mark.parametrize("text", ["design: [unclosed", "- a list", "", "design: side_by_side\n",
                                  "design: side_by_side\nlabel: t\ntargets: {bed_days: {value: .inf, "
                                  "low: 0, high: 1}}\n"])
def test_calibrate_refuses_a_broken_target_file(text, tmp_path, capsys):
    path = tmp_path / "trial.yaml"
    path.write_text(text)
    out = tmp_path / "never"
    code, err = run(calibrate.main, [f"extra_targets=[{path}]", f"out={out}"], capsys)
    assert_refused(code, err, "factsim-calibrate")
    assert not out.exists()


SENSITIVITY = [
    "+parameters={clinical.nosuch: {low: 0, high: 1}}",
    "+parameters={clinical.crisis_averted_prob: {low: 0.5, high: 1.3}}",
    "+parameters={clinical.los_shape: {low: 1, high: .inf}}",
    "+parameters={clinical.los_shape: {low: 3, high: 1}}",
    "outputs.bed_days.metric=bed_nights", "outputs.bed_days.measure=ratio", "sobol.base_samples=100",
    "morris.levels=3", "morris.levels=inf", "replications=-1", "replications=nan", "n_jobs=0",
    "scenario=['organisation=nosuch']", "nosuch=1", "hydra.foo=1", "morris.trajectories=1e400",
]


RESEARCH_TOOLS = {"factsim-calibrate": calibrate.main, "factsim-sensitivity": sensitivity.main}


@pytest.mark.parametrize("tool, arg", [("factsim-calibrate", a) for a in CALIBRATE]
                         + [("factsim-sensitivity", a) for a in SENSITIVITY])
def test_the_research_tools_refuse_malformed_values(tool, arg, tmp_path, capsys):
    out = tmp_path / "never"
    code, err = run(RESEARCH_TOOLS[tool], [arg, f"out={out}"], capsys)
    assert_refused(code, err, tool)
    assert not out.exists()


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    """One small finished run folder, copied and broken by the cases below."""
    out = tmp_path_factory.mktemp("fuzz") / "run"
    factsim_main(["replications=2", "warmup_years=0", "results_years=0.5", "n_jobs=1", "progress=false",
                  f"hydra.run.dir={out}"])
    assert is_complete(out)
    return out


def _break(folder, how: str) -> None:
    if how == "no manifest":
        (folder / "manifest.json").unlink()
    elif how == "empty manifest":
        (folder / "manifest.json").write_text("")
    elif how == "corrupted manifest":
        (folder / "manifest.json").write_text("{not json")
    elif how == "manifest is a list":
        (folder / "manifest.json").write_text("[1, 2]")
    elif how == "manifest without digests":
        m = json.loads((folder / "manifest.json").read_text())
        m.pop("sha256")
        (folder / "manifest.json").write_text(json.dumps(m))
    elif how.startswith("missing "):
        (folder / how.split(" ", 1)[1]).unlink()
    elif how.startswith("empty "):
        (folder / how.split(" ", 1)[1]).write_bytes(b"")
    elif how.startswith("corrupted "):
        (folder / how.split(" ", 1)[1]).write_bytes(b"PAR1 garbage")
    else:
        raise AssertionError(how)


BROKEN = ["no manifest", "empty manifest", "corrupted manifest", "manifest is a list",
          "manifest without digests", "missing summary.parquet", "missing config.yaml",
          "empty results.parquet", "corrupted summary.parquet", "corrupted config.yaml",
          "missing provenance.parquet", "empty comparison.parquet"]


@pytest.mark.parametrize("how", BROKEN)
def test_report_refuses_a_broken_run_folder(how, finished_run, tmp_path, capsys):
    folder = tmp_path / "run"
    shutil.copytree(finished_run, folder)
    _break(folder, how)
    code, err = run(report.main, [str(folder)], capsys)
    assert_refused(code, err, "factsim-report")
    assert not (folder / "report_da.html").exists()


@pytest.mark.parametrize("args", [
    ["/nonexistent/folder"], ["{run}", "--lang", "xx"], ["{run}", "-o", "/proc/report.html"],
    ["{file}"], ["{empty}"],
])
def test_report_refuses_bad_arguments(args, finished_run, tmp_path, capsys):
    (tmp_path / "file.txt").write_text("not a folder")
    (tmp_path / "empty").mkdir()
    argv = [a.format(run=finished_run, file=tmp_path / "file.txt", empty=tmp_path / "empty") for a in args]
    code, err = run(report.main, argv, capsys)
    assert_refused(code, err, "factsim-report")


def test_a_report_of_one_replication_says_the_interval_is_not_available(tmp_path, capsys):
    """Legal but odd input runs sensibly: no NaN in the sentences."""
    out = tmp_path / "one"
    factsim_main(["replications=1", "warmup_years=0", "results_years=0.5", "n_jobs=1", "progress=false",
                  f"hydra.run.dir={out}"])
    printed = capsys.readouterr().out
    assert "nan" not in printed.lower() and "no interval: one replication" in printed
    page = report.make_report(out, "da").read_text()
    assert "interval ikke tilgængeligt" in page and "nan-nan" not in page.lower()


@pytest.mark.parametrize("how", ["not a sweep", "missing", "broken overrides", "overrides not a list",
                                 "no finished job", "stale job"])
def test_merge_refuses_a_broken_sweep_folder(how, finished_run, tmp_path, capsys):
    sweep = tmp_path / "sweep"
    job = sweep / "0"
    shutil.copytree(finished_run, job)
    (job / ".hydra").mkdir(exist_ok=True)
    overrides = json.loads((job / "manifest.json").read_text())["overrides"]
    (job / ".hydra" / "overrides.yaml").write_text(json.dumps(overrides))
    target = sweep
    if how == "not a sweep":
        shutil.rmtree(job / ".hydra")
    elif how == "missing":
        target = tmp_path / "nosuch"
    elif how == "broken overrides":
        (job / ".hydra" / "overrides.yaml").write_text("[unclosed")
    elif how == "overrides not a list":
        (job / ".hydra" / "overrides.yaml").write_text("a: 1")
    elif how == "no finished job":
        (job / "manifest.json").write_text("{}")
    elif how == "stale job":   # Hydra rewrote what the job was asked; the results are for the old values
        (job / ".hydra" / "overrides.yaml").write_text(json.dumps(overrides + ["seed=7"]))
    code, err = run(merge.main, [str(target)], capsys)
    assert_refused(code, err, "factsim-merge")
    assert not (sweep / "sweep.json").exists()


def test_the_fuzz_tables_are_large():
    """The figures for the note: how many malformed inputs per command."""
    counts = {"factsim": len(factsim_cases()) + 5, "factsim-calibrate": len(CALIBRATE) + 5,
              "factsim-sensitivity": len(SENSITIVITY), "factsim-report": len(BROKEN) + 5,
              "factsim-merge": 6}
    print(counts, sum(counts.values()))
    assert sum(counts.values()) >= 250


@pytest.mark.parametrize("tool", ["factsim", "factsim-calibrate", "factsim-sensitivity"])
def test_an_output_folder_that_cannot_be_written_is_one_line(tool, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("HYDRA_FULL_ERROR", raising=False)
    blocker = tmp_path / "a_file"
    blocker.write_text("a file where the output folder should go")
    out = blocker / "out"
    if tool == "factsim":
        code, err = run(factsim_main, [*SMALL, f"hydra.run.dir={out}"], capsys)
    elif tool == "factsim-calibrate":
        code, err = run(calibrate.main, [f"out={out}", "abc.population_size=4", "abc.max_generations=1"],
                        capsys)
    else:
        code, err = run(sensitivity.main, [f"out={out}", "sobol.enabled=false", "morris.trajectories=2"],
                        capsys)
    assert_refused(code, err, tool)
    assert str(blocker) in err


def test_a_sweep_whose_merge_fails_exits_2(tmp_path, capsys):
    """Hydra turns a callback's exception into a warning; the merge exits itself."""
    from omegaconf import OmegaConf
    (tmp_path / "0" / ".hydra").mkdir(parents=True)
    (tmp_path / "0" / ".hydra" / "overrides.yaml").write_text("[]")
    with pytest.raises(SystemExit) as stop:
        merge.MergeSweep().on_multirun_end(OmegaConf.create({"hydra": {"sweep": {"dir": str(tmp_path)}}}))
    assert stop.value.code == 2
    assert "factsim: error: sweep not merged" in capsys.readouterr().err


def test_a_calibration_scenario_list_without_inner_quotes_names_the_scenario(tmp_path, capsys):
    code, err = run(calibrate.main, ["scenario=[organisation=fact_regional,clinical=assumed]",
                                     f"out={tmp_path / 'never'}"], capsys)
    assert_refused(code, err, "factsim-calibrate")
    assert "scenario" in err


@pytest.fixture
def disk_fills_at(monkeypatch):
    """The disk fills when a file of the given name is written: its write fails with
    ENOSPC, as on a full disk (the temporary copy is written, its rename into place is
    refused, and the writer must clean up)."""
    import errno
    import os as os_module

    real = os_module.replace

    def fill(name: str):
        def replace(src, dst, *a, **k):
            if Path(dst).name == name:
                raise OSError(errno.ENOSPC, os_module.strerror(errno.ENOSPC), str(src))
            return real(src, dst, *a, **k)
        monkeypatch.setattr(os_module, "replace", replace)
    return fill


@pytest.mark.parametrize("name", ["manifest.json", "summary.parquet", "config.yaml", "comparison.png"])
def test_a_full_disk_during_a_run_is_one_line_and_leaves_nothing_finished(name, disk_fills_at, tmp_path, capsys,
                                                                            monkeypatch):
    from sim.output.run_folder import finished_manifest
    monkeypatch.delenv("HYDRA_FULL_ERROR", raising=False)
    out = tmp_path / "run"
    disk_fills_at(name)
    code, err = run(factsim_main, [*SMALL, f"hydra.run.dir={out}"], capsys)
    assert_refused(code, err, "factsim")
    assert "No space left on device" in err and name in err
    assert finished_manifest(out) is None and not (out / "manifest.json").exists()
    assert not list(out.rglob("*.tmp"))   # no temporary left behind
    monkeypatch.undo()   # the disk has room again: the same command finishes
    code, _ = run(factsim_main, [*SMALL, f"hydra.run.dir={out}"], capsys)
    assert code == 0 and finished_manifest(out) is not None


def test_a_full_disk_during_a_merge_or_a_report_is_one_line(finished_run, disk_fills_at, tmp_path, capsys):
    sweep = tmp_path / "sweep"
    job = sweep / "0"
    shutil.copytree(finished_run, job)
    (job / ".hydra").mkdir(exist_ok=True)
    (job / ".hydra" / "overrides.yaml").write_text(json.dumps(json.loads((job / "manifest.json").read_text())
                                                              ["overrides"]))
    disk_fills_at("sweep.json")
    code, err = run(merge.main, [str(sweep)], capsys)
    assert_refused(code, err, "factsim-merge")
    assert "No space left on device" in err and not (sweep / "sweep.json").exists()
    disk_fills_at("report_da.html")
    code, err = run(report.main, [str(job)], capsys)
    assert_refused(code, err, "factsim-report")
    assert not (job / "report_da.html").exists()


# the four tracebacks a careless user met (issue 35): each now one line and exit 2
def test_a_run_folder_whose_log_cannot_be_opened_is_one_line(tmp_path, capsys, monkeypatch):
    """Hydra opens its log file in the run folder before factsim's own writes: a log that
    cannot be opened (here a folder where the file goes) is named in one line."""
    monkeypatch.delenv("HYDRA_FULL_ERROR", raising=False)
    out = tmp_path / "run"
    (out / "cli.log").mkdir(parents=True)
    code, err = run(factsim_main, [*SMALL, f"hydra.run.dir={out}"], capsys)
    assert_refused(code, err, "factsim")
    assert f"{out / 'cli.log'}: Is a directory" in err and "hydra.run.dir" in err
    assert finished_manifest(out) is None


def test_a_run_folder_without_write_permission_is_named_before_hydra_starts(tmp_path, capsys, monkeypatch):
    """A folder the user may not write (as root every folder is writable: the permission
    check is then asked of a folder it refuses)."""
    import os
    monkeypatch.delenv("HYDRA_FULL_ERROR", raising=False)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.geteuid() == 0:   # root writes anywhere: the check itself is what is tested
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) == locked else real(p, mode, **kw))
    try:
        code, err = run(factsim_main, [*SMALL, f"hydra.run.dir={locked / 'run'}"], capsys)
    finally:
        locked.chmod(0o755)
    assert_refused(code, err, "factsim")
    assert f"hydra.run.dir={locked / 'run'}: the run folder's parent {locked} cannot be written" in err
    assert not (locked / "run").exists()


@pytest.mark.parametrize("arg", ["hydra.sweeper.params.seed=", "hydra.sweeper.params={seed:'1,2,'}",
                                 "+hydra.sweeper.params.seed=[1,2]", "hydra.sweeper.params={seed:[1,2]}"])
def test_a_malformed_sweeper_parameter_is_one_line(arg, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("HYDRA_FULL_ERROR", raising=False)
    out = tmp_path / "sweep"
    code, err = run(factsim_main, ["-m", *SMALL, arg, f"hydra.sweep.dir={out}"], capsys)
    assert_refused(code, err, "factsim")
    assert "hydra.sweeper.params" in err and not out.exists()


@pytest.mark.parametrize("tool, arg", [("factsim-calibrate", "+targets.mine=abc"),
                                       ("factsim-calibrate", "targets.strategy_paper=abc"),
                                       ("factsim-sensitivity", "parameters=abc")])
def test_a_target_or_parameter_set_of_the_wrong_shape_is_one_line(tool, arg, tmp_path, capsys):
    out = tmp_path / "never"
    code, err = run(RESEARCH_TOOLS[tool], [arg, f"out={out}"], capsys)
    assert_refused(code, err, tool)
    assert "must be a mapping" in err and "'str' object" not in err and not out.exists()


def test_a_merge_that_leaves_jobs_unfinished_exits_3(finished_run, tmp_path, capsys):
    sweep = tmp_path / "sweep"
    for job in ("0", "1"):
        shutil.copytree(finished_run, sweep / job)
        (sweep / job / ".hydra").mkdir(exist_ok=True)
        (sweep / job / ".hydra" / "overrides.yaml").write_text(
            json.dumps(json.loads((sweep / job / "manifest.json").read_text())["overrides"]))
    (sweep / "1" / "manifest.json").unlink()
    code, err = run(merge.main, [str(sweep)], capsys)
    assert code == merge.UNFINISHED == 3
    assert "incomplete: 1 of 2 jobs unfinished" in err and (sweep / "sweep.json").is_file()
