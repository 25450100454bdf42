"""The researchers' notebook runs top to bottom on saved outputs (made here on a tiny
budget), shows what it read, and says how to make a missing section."""
from __future__ import annotations

import dataclasses
import os
import subprocess
import sys

import nbformat
import pytest

from sim.research.notebook import NOTEBOOK, execute

from ..conftest import ROOT

pytest.importorskip("nbclient")
pytest.importorskip("pyabc")


def _text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", out
            parts.append(out.get("text", ""))
            data = out.get("data", {})
            parts.append(data.get("text/plain", "") + data.get("text/markdown", ""))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def saved_outputs(tmp_path_factory):
    from sim.research import calibrate, sensitivity
    from sim.research.calibrate import Prior, Priors

    base = tmp_path_factory.mktemp("saved")
    study = base / "study"
    proc = subprocess.run([sys.executable, "-m", "sim", "study=norway_prepost", "replications=2",
                           "warmup_years=0.5", "study.pre_months=12", "study.post_months=12",
                           "study.enrolment.lookback_months=6", "progress=false", f"hydra.run.dir={study}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    settings, raw = calibrate.compose_settings([
        "scenario=['organisation=fact_crosssector','warmup_years=0.5']", "targets=[strategy_paper]",
        "targets.strategy_paper.scenario=['study=norway_prepost','study.pre_months=12','study.post_months=12',"
        "'study.enrolment.lookback_months=6']",
        "replications_per_simulation=1", "abc.sampler=single", "abc.population_size=6",
        "abc.max_generations=1", "posterior_predictive_draws=3", "prior_predictive_draws=3"])
    settings = dataclasses.replace(settings, priors=Priors({"clinical.admission_prob.intensive": Prior(0.2, 0.65)}))
    calibrate.calibrate(settings, raw, base / "calibration")
    settings, raw = sensitivity.compose_settings([
        "scenario=['warmup_years=0.3','results_years=0.5']", "replications=1", "morris.trajectories=2",
        "sobol.top=2", "sobol.base_samples=4", "progress=false", "n_jobs=1"])
    settings = dataclasses.replace(settings, parameters=dict(list(settings.parameters.items())[:3]))
    sensitivity.analyse(settings, raw, base / "sensitivity")
    return base


def _run(tmp_path, monkeypatch, folders: dict[str, os.PathLike]):
    for name, folder in folders.items():
        monkeypatch.setenv(f"FACTSIM_{name.upper()}", str(folder))
    out = execute(NOTEBOOK, tmp_path / "executed.ipynb")
    return _text(nbformat.read(out, as_version=4))


def test_the_notebook_runs_on_saved_outputs(tmp_path, monkeypatch, saved_outputs):
    text = _run(tmp_path, monkeypatch, {n: saved_outputs / n for n in ("study", "calibration", "sensitivity")})
    assert "2 replications of Silkeborg; enrolled cohort" in text
    assert "organisation_effect_ratio" in text and "organisation's share of the change" in text
    assert "clinical.admission_prob.intensive" in text and "ci_upper" in text   # posterior
    assert "share_in_direction" in text                                        # predictive check
    assert "factsim --config-dir" in text                                       # calibrated config
    assert "Morris points" in text and "scaleups_refused" in text
    assert "No finished" not in text


def test_a_missing_section_says_how_to_make_it(tmp_path, monkeypatch, saved_outputs):
    text = _run(tmp_path, monkeypatch, {"study": saved_outputs / "study",
                                        "calibration": tmp_path / "none",
                                        "sensitivity": saved_outputs / "sensitivity"})
    assert "No finished calibration outputs" in text and "make calibrate" in text
    assert "enrolled cohort" in text and "Morris points" in text


def test_the_committed_notebook_has_no_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
