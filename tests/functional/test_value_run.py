"""The value of information as a user meets it: a small run with parameter draws writes
net benefit, the probability each organisation is best, the acceptability curve and the
value of information; the report says which valuations were used; bad valuations are
refused in one line naming the key."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from sim.config.units import DAYS_PER_YEAR
from sim.output import value
from sim.output.run_folder import saved_scenario

from ..conftest import assert_one_line_error
from .test_cli import SMALL, factsim, factsim_ok

DRAWS = ["uncertainty=posterior", "uncertainty.draws=6"]
TABLES = ("price_draws", "net_benefit_parts", "net_benefit", "best_probability", "acceptability",
          "value_of_information")


def read(path) -> str:
    return path.read_text(encoding="utf-8").replace("\u00a0", " ").replace("\u2011", "-")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("value") / "run"
    proc = factsim_ok(*SMALL, *DRAWS, f"hydra.run.dir={folder}")
    for lang in ("da", "en"):
        made = subprocess.run([sys.executable, "-m", "sim.output.report", str(folder), "--lang", lang],
                              capture_output=True, text=True, timeout=120)
        assert made.returncode == 0, made.stderr
    return folder, proc.stdout


def test_a_run_with_draws_writes_the_value_tables_and_the_plot(run):
    folder, stdout = run
    for name in TABLES:
        assert (folder / f"{name}.parquet").is_file() and (folder / f"{name}.csv").is_file(), name
    assert (folder / "plots" / "acceptability.png").is_file()
    nb = pd.read_parquet(folder / "net_benefit.parquet")
    assert len(nb) == 6 * 2 and nb.groupby("draw").best.sum().eq(1).all()
    assert "Value of information" in stdout and "EVPI" in stdout


def test_the_written_tables_are_the_runs_own_and_reproducible(run):
    folder, _ = run
    sc = saved_scenario(folder)
    read_ = lambda n: pd.read_parquet(folder / f"{n}.parquet")  # noqa: E731
    start, end = sc.window
    again = value.value_tables(sc, read_("results"), read_("municipalities"), read_("teams"), read_("capacity"),
                               read_("draws"), (end - start) / DAYS_PER_YEAR)
    for name in TABLES:
        pd.testing.assert_frame_equal(again[name], read_(name), check_dtype=False)


def test_the_report_says_which_valuations_were_used_and_what_knowledge_is_worth(run):
    folder, _ = run
    da, en = read(folder / "report_da.html"), read(folder / "report_en.html")
    assert "Hvilken viden ville ændre beslutningen?" in da
    assert "Which evidence would change the decision?" in en
    assert "25.000 kr. pr. tvangsindlæggelse" in da and "250 kr. pr. dag uden kontakt" in da
    assert "pris for en sengedag" in da   # the prices drawn are named
    assert "data-evpi=" in da and "data-probability-best=" in da
    assert "giver den største nettogevinst i" in da
    assert "data:image/png;base64" in da.split("Hvilken viden")[1].split("<h2")[0]   # the curve


def test_a_run_without_draws_or_without_a_valuation_has_no_value_tables(tmp_path):
    plain = tmp_path / "plain"
    factsim_ok(*SMALL, "plots=false", f"hydra.run.dir={plain}")
    unvalued = tmp_path / "unvalued"
    factsim_ok(*SMALL, *DRAWS, "~valuation", "plots=false", f"hydra.run.dir={unvalued}")
    for folder in (plain, unvalued):
        assert not any((folder / f"{name}.parquet").is_file() for name in TABLES)
    assert (unvalued / "draw_changes.parquet").is_file()


@pytest.mark.parametrize("args, key", [
    (["valuation.outcomes.coercive_admissions=-25000"], "valuation.outcomes.coercive_admissions"),
    (["+valuation.outcomes.quality_of_life=1000"], "valuation.outcomes.quality_of_life"),
    (["valuation.groups.mechanisms=[clinical.crisis_averted_prob,clinical.no_such_mechanism]"],
     "valuation.groups.mechanisms.clinical.no_such_mechanism"),
])
def test_a_bad_valuation_is_one_line_naming_the_key_and_exit_2(tmp_path, args, key):
    out = tmp_path / "out"
    proc = factsim(*DRAWS, *args, f"hydra.run.dir={out}")
    assert_one_line_error(proc, ["factsim: error:", key], out)
    assert proc.stderr.startswith("factsim: error:") and "Traceback" not in proc.stdout
