"""Every output table the outputs reference names exists in a real run, with its columns.

``docs/reference/outputs.md`` lists the tables of a run, of a run with parameter draws,
of a pre/post study and of a sweep, each as a row ``| `name` | col, col, ... | what |``.
Small runs of each kind (a few seconds each) must write every listed table as Parquet
(and CSV, but the event log) with exactly those columns in that order, and every table
they write must be listed: the page cannot name a table that is not there, nor miss one
that is.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ..conftest import ROOT

PAGE = ROOT / "docs" / "reference" / "outputs.md"
SMALL = ["replications=2", "warmup_years=0.25", "results_years=1", "n_jobs=1", "progress=false"]
DRAWS = ["uncertainty=ranges", "uncertainty.draws=2"]
SECTIONS = {"A run": "run", "With parameter draws": "study", "A pre/post study": "study", "A sweep": "sweep",
            "An optimising sweep": "optimise", "A roll-out": "rollout"}
# an optimising sweep's tables of each job (in its folder 0), besides the sweep folder's
JOB_TABLES = {"objective", "objective_values"}
PARQUET_ONLY = {"events"}


def documented(text: str) -> dict[str, dict[str, list[str]]]:
    """Section heading -> table name -> the columns listed for it."""
    found: dict[str, dict[str, list[str]]] = {}
    for heading, body in re.findall(r"^## (.+?)\n(.*?)(?=^## |\Z)", text, flags=re.M | re.S):
        rows = re.findall(r"^\| `([a-z_]+)` \| ([a-z_, ]+) \|", body, flags=re.M)
        if rows:
            found[heading.strip()] = {name: [c.strip() for c in cols.split(",")] for name, cols in rows}
    return found


def factsim(*args: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "sim", *args, *SMALL], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    """A default run, a pre/post study with parameter draws, a sweep of two points with draws,
    an optimising sweep and a roll-out with draws and its designs."""
    base = tmp_path_factory.mktemp("outputs")
    factsim(f"hydra.run.dir={base / 'run'}")
    factsim("study=norway_prepost", *DRAWS, f"hydra.run.dir={base / 'study'}")
    factsim("-m", "seed=1,2", *DRAWS, f"hydra.sweep.dir={base / 'sweep'}")
    factsim("-m", "hydra/sweeper=optuna", "objective=fewest_staff", "seed=choice(1,2)", "hydra.sweeper.n_trials=2",
            f"hydra.sweep.dir={base / 'optimise'}")
    factsim("rollout=silkeborg", "rollout.last_year=2026", "rollout.evaluate=true", *DRAWS,
            f"hydra.run.dir={base / 'rollout'}")
    return {"run": base / "run", "study": base / "study", "sweep": base / "sweep", "optimise": base / "optimise",
            "rollout": base / "rollout"}


def test_the_page_lists_the_four_kinds_of_output():
    tables = documented(PAGE.read_text())
    assert set(SECTIONS) <= set(tables)
    assert tables["A run"]["results"] == ["organisation", "replication", "metric", "value"]
    assert len([t for section in tables.values() for t in section]) >= 30


def test_every_documented_table_has_its_columns(folders):
    wrong = []
    for heading, tables in documented(PAGE.read_text()).items():
        folder = folders[SECTIONS[heading]]
        for name, columns in tables.items():
            where = folder / ("0" if name in JOB_TABLES and heading == "An optimising sweep" else "")
            path = where / f"{name}.parquet"
            if not path.is_file():
                wrong.append(f"{heading}: {name}.parquet is not written")
                continue
            got = list(pd.read_parquet(path).columns)
            if got != columns:
                wrong.append(f"{heading}: {name} has the columns {', '.join(got)}")
            if name not in PARQUET_ONLY and not (where / f"{name}.csv").is_file():
                wrong.append(f"{heading}: {name}.csv is not written")
    assert wrong == []


def test_every_written_table_is_documented(folders):
    tables = documented(PAGE.read_text())
    listed = {kind: set() for kind in folders}
    for heading, section in tables.items():
        listed[SECTIONS[heading]] |= set(section)
    listed["study"] |= set(tables["A run"])   # a study writes a run's tables too
    listed["optimise"] |= set(tables["A sweep"])   # an optimising sweep merges its jobs as any sweep
    listed["rollout"] |= set(tables["A run"]) | set(tables["With parameter draws"])   # and a run's tables
    missing = [f"{kind}: {p.stem}" for kind, folder in folders.items() for p in sorted(folder.glob("*.parquet"))
               if p.stem not in listed[kind]]
    assert missing == []


def test_the_comparison_checks_would_notice_a_wrong_column():
    text = "## A run\n\n| table | columns | what |\n|---|---|---|\n| `summary` | organisation, mean | x |\n"
    assert documented(text) == {"A run": {"summary": ["organisation", "mean"]}}
