"""Shared helpers: compose scenarios from the real YAML in scenarios/ with Hydra."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir

from sim.config.load import load
from sim.config.params import Organisation, Scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"

# The slowest test files run first. `make test` spreads the files over the cores with
# pytest-xdist, one worker per file (so a file's fixtures run once), taking files in
# collection order (--no-loadscope-reorder; xdist would otherwise start with the files
# that hold the most tests): the longest first leaves no worker alone with a long file at
# the end.
SLOW_FILES = ("calibration/test_designs.py", "calibration/test_calibrate.py", "functional/test_sweep.py",
              "functional/test_optimise.py",
              "workshop/test_page_browser.py", "workshop/test_page.py",
              "packaging/test_wheel.py", "functional/test_fuzz.py", "functional/test_cli.py",
              "docs/test_code_blocks.py", "docs/test_outputs.py")


def pytest_collection_modifyitems(items) -> None:
    """Put the slow files first; the order inside a file stays (the sort is stable)."""
    def rank(item) -> int:
        return next((i for i, f in enumerate(SLOW_FILES) if item.nodeid.startswith(f"tests/{f}")),
                    len(SLOW_FILES))
    items.sort(key=rank)


# small, quick studies unless a test asks for more
QUICK = ["replications=3", "warmup_years=0.5", "results_years=2", "progress=false", "n_jobs=1"]


def compose_cfg(*overrides: str):
    with initialize_config_dir(config_dir=str(SCENARIOS), version_base="1.3"):
        return compose("config", overrides=list(overrides))


def scenario(*overrides: str, quick: bool = True) -> Scenario:
    sc, _ = load(compose_cfg(*((QUICK if quick else []) + list(overrides))))
    return sc


def scale_staff(org: Organisation, factor: float, teams: tuple[str, ...] | None = None) -> Organisation:
    """The same organisation with staff FTE multiplied by ``factor`` (in ``teams`` or all)."""
    new_teams = {}
    for name, team in org.teams.items():
        if teams is None or name in teams:
            staff = {k: dataclasses.replace(m, fte_per_100=m.fte_per_100 * factor)
                     for k, m in team.staff.items()}
            team = dataclasses.replace(team, staff=staff)
        new_teams[name] = team
    return dataclasses.replace(org, teams=new_teams)


@pytest.fixture
def quick_scenario() -> Scenario:
    return scenario()


def assert_one_line_error(proc, words, never_written) -> None:
    """Bad input: exit 2, one line on stderr naming ``words``, no traceback, nothing written."""
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert not never_written.exists()
