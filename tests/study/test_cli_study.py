"""The pre/post study from the command line, and its bad input."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from ..conftest import assert_one_line_error
from ..functional.test_cli import factsim, factsim_ok

SMALL_STUDY = ["study=norway_prepost", "replications=3", "warmup_years=0.5", "n_jobs=1",
               "progress=false", "study.pre_months=12", "study.post_months=12"]


def test_a_small_study_writes_the_decomposition(tmp_path):
    folder = tmp_path / "study"
    proc = factsim_ok(*SMALL_STUDY, f"hydra.run.dir={folder}")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["study"] == "norway_prepost"
    for name in ("prepost_counts.parquet", "prepost_decomposition.csv", "prepost_summary.csv",
                 "plots/prepost.png"):
        assert name in manifest["files"] and (folder / name).is_file(), name
    summary = pd.read_csv(folder / "prepost_summary.csv")
    assert set(summary.quantity) == {"observed_ratio", "counterfactual_ratio", "organisation_effect",
                                     "organisation_effect_ratio", "calendar_trend", "selection_and_regression"}
    counts = pd.read_parquet(folder / "prepost_counts.parquet")
    assert set(counts.period) == {"pre", "post"} and set(counts.replication) == {0, 1, 2}
    assert "organisation effect (ratio)" in proc.stdout and "bed_days" in proc.stdout


def test_a_study_with_parameter_draws_decomposes_each_draw(tmp_path):
    folder = tmp_path / "study"
    proc = factsim_ok(*SMALL_STUDY, "uncertainty=posterior", "uncertainty.draws=3",
                      f"hydra.run.dir={folder}")
    by_draw = pd.read_csv(folder / "prepost_draws.csv")
    assert set(by_draw.draw) == {0, 1, 2}
    effect = by_draw[(by_draw.quantity == "organisation_effect_ratio") & (by_draw.measure == "bed_days")]
    assert len(effect) == 3 and effect.value.nunique() == 3   # the draws differ
    summary = pd.read_csv(folder / "prepost_uncertainty.csv").set_index(["measure", "quantity"])
    row = summary.loc[("bed_days", "organisation_effect_ratio")]
    assert row["draws"] == 3 and row["lower"] <= row["mean"] <= row["upper"]
    assert row["mean"] == pytest.approx(effect.value.mean())
    assert "across 3 parameter draws" in proc.stdout


@pytest.mark.parametrize("args, words", [
    (["study.enrolment.recent_event=sometimes"], ["study.enrolment.recent_event", "crisis"]),
    (["study.moves=everyone"], ["study.moves", "catchment, enrolled"]),
    (["study.pre_months=-3"], ["study.pre_months", "> 0"]),
    (["study.enrolment.lookback_months=400"], ["lookback_months", "at most"]),
    (["study.enrolment.diagnoses=[flu]"], ["study.enrolment.diagnoses", "psychosis"]),
    (["~organisation@baseline"], ["study", "baseline"]),
    (["study=sweden"], ["study=sweden", "norway_prepost"]),
    (["study.calendar_trend.los_per_year=-0.3"], ["study.calendar_trend.los_per_year", "[-0.1, 0.1]"]),
    (["study.calendar_trend.crises_per_year=inf"], ["study.calendar_trend.crises_per_year"]),
    (["study.calendar_trend.speed=2"], ["study.calendar_trend.speed"]),
])
def test_bad_study_input_is_one_line_and_no_folder(tmp_path, args, words):
    folder = tmp_path / "bad"
    base = [a for a in SMALL_STUDY if not a.startswith("study=")] if args[0].startswith("study=") else SMALL_STUDY
    proc = factsim(*base, *args, f"hydra.run.dir={folder}")
    assert_one_line_error(proc, words, folder)
