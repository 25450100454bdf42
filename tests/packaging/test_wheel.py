"""The package as others install it: a wheel in a fresh virtual environment.

Builds the wheel, installs it (with its dependencies) into a new virtual environment
and runs a small comparison and a small pre/post study from an empty folder, so the
shipped scenarios are found inside the installed package, not in the repository.
"""
from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from ..conftest import ROOT

SMALL = ["population.municipalities.silkeborg.adults=20000", "replications=2",
         "warmup_years=0.5", "results_years=1", "n_jobs=1", "progress=false"]


def run(cmd: list, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(list(map(str, cmd)), cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh virtual environment with the built wheel installed."""
    base = tmp_path_factory.mktemp("wheel")
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", base / "dist", ROOT],
                cwd=base)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel, = (base / "dist").glob("factsim-*.whl")
    venv.EnvBuilder(with_pip=True).create(base / "env")
    bin_ = base / "env" / "bin"
    got = run([bin_ / "python", "-m", "pip", "install", "-q", wheel], cwd=base, timeout=900)
    assert got.returncode == 0, got.stderr[-2000:]
    return bin_


def test_the_wheel_ships_its_scenarios_and_settings(installed):
    listing = run([installed / "python", "-c",
                   "from sim.config.paths import SCENARIOS, CALIBRATION; "
                   "print(SCENARIOS.is_dir() and not SCENARIOS.is_symlink(), "
                   "(SCENARIOS / 'config.yaml').is_file(), (CALIBRATION / 'config.yaml').is_file(), "
                   "'site-packages' in str(SCENARIOS))"], cwd=installed)
    assert listing.stdout.split() == ["True"] * 4, listing.stderr


def test_help_and_version_from_an_empty_folder(installed, tmp_path):
    helped = run([installed / "factsim", "--help"], cwd=tmp_path)
    assert helped.returncode == 0 and "fact_crosssector" in helped.stdout, helped.stderr
    version = run([installed / "factsim", "--version"], cwd=tmp_path)
    assert version.stdout.strip().startswith("factsim 0."), version.stdout


def test_a_comparison_and_a_study_run_from_an_empty_folder(installed, tmp_path):
    compared = run([installed / "factsim", *SMALL], cwd=tmp_path)
    assert compared.returncode == 0, compared.stderr[-2000:]
    finished = list(tmp_path.glob("outputs/run_*/manifest.json"))
    assert len(finished) == 1 and (finished[0].parent / "comparison.parquet").is_file()
    studied = run([installed / "factsim", *SMALL, "study=norway_prepost", "hydra.run.dir=outputs/study"],
                  cwd=tmp_path)
    assert studied.returncode == 0, studied.stderr[-2000:]
    assert (tmp_path / "outputs" / "study" / "prepost_summary.parquet").is_file()


def test_a_bad_value_is_one_line_from_the_installed_command(installed, tmp_path):
    bad = run([installed / "factsim", "clinical.los_shape=-1"], cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0, bad.stderr
    assert "clinical.los_shape" in bad.stderr and not (tmp_path / "outputs").exists()


def test_a_users_config_dir_adds_to_the_shipped_scenarios(installed, tmp_path):
    """A population of the user's own, next to the shipped ones, from an empty folder."""
    own = tmp_path / "my_scenarios" / "population"
    own.mkdir(parents=True)
    shipped = (ROOT / "scenarios" / "population" / "silkeborg.yaml").read_text()
    (own / "mytown.yaml").write_text(shipped.replace("name: Silkeborg", "name: Mytown"))
    ran = run([installed / "factsim", "--config-dir", tmp_path / "my_scenarios", "population=mytown",
               *SMALL, "hydra.run.dir=outputs/mine"], cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert "Mytown" in ran.stdout and (tmp_path / "outputs" / "mine" / "manifest.json").is_file()


def test_the_research_tools_find_their_settings_in_the_installed_package(installed, tmp_path):
    """factsim-calibrate and factsim-sensitivity compose calibration/*.yaml shipped in the
    package: a bad value is refused by name (their settings were found and validated)."""
    for tool, arg, key in (("factsim-calibrate", "abc.population_size=-1", "abc.population_size"),
                           ("factsim-sensitivity", "replications=0", "replications")):
        got = run([installed / tool, arg], cwd=tmp_path)
        assert got.returncode == 2 and key in got.stderr and "Primary config" not in got.stderr, got.stderr
