"""Parameter uncertainty: draws that cannot change anything change nothing, decision
probabilities are shares of draws, serial equals parallel, bad input is refused."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from sim.config.errors import ConfigError
from sim.experiments.runner import run_study
from sim.experiments.uncertainty import decision_probabilities, draw_changes, draw_values, summarise_draws

from ..conftest import ROOT, assert_one_line_error, scenario

SMALL = ("replications=2", "warmup_years=0.3", "results_years=1")
P = "uncertainty.parameters"


def plain_results():
    return run_study(scenario(*SMALL), progress=False, n_jobs=1).results


def per_draw(results: pd.DataFrame, draw: int) -> pd.DataFrame:
    return results[results.draw == draw].drop(columns="draw").reset_index(drop=True)


def test_distributions_collapsed_to_their_values_give_the_plain_run():
    c = scenario(*SMALL).clinical   # the default values, whatever the shipped clinical group
    point = [f"{P}={{clinical.crisis_averted_prob: {{distribution: point, value: {c.crisis_averted_prob!r}}}, "
             f"clinical.inreach_los_ratio: {{distribution: point, value: {c.inreach_los_ratio!r}}}}}"]
    got = run_study(scenario(*SMALL, "uncertainty.draws=3", *point), progress=False, n_jobs=1)
    plain = plain_results()
    assert set(got.results.draw) == {0, 1, 2}
    for d in range(3):
        assert_frame_equal(per_draw(got.results, d), plain, check_exact=True)


def test_a_parameter_the_model_never_reads_leaves_every_draw_as_the_plain_run():
    inert = f"{P}={{clinical.municipal_offer_wait_mean_days: {{distribution: uniform, low: 5, high: 200}}}}"
    never = "clinical.needs_municipal_offer_prob=0"
    got = run_study(scenario(*SMALL, never, "uncertainty.draws=3", inert), progress=False, n_jobs=1)
    plain = run_study(scenario(*SMALL, never), progress=False, n_jobs=1).results
    values = got.draws.value.to_numpy()
    assert len(set(values)) == 3 and (5 <= values).all() and (values <= 200).all()
    for d in range(3):
        assert_frame_equal(per_draw(got.results, d), plain, check_exact=True)


def test_a_parameter_that_matters_spreads_the_draws_and_serial_equals_parallel():
    args = (*SMALL, "uncertainty=ranges", "uncertainty.draws=3")
    serial = run_study(scenario(*args), progress=False, n_jobs=1)
    parallel = run_study(scenario(*args), progress=False, n_jobs=2)
    assert_frame_equal(serial.results, parallel.results, check_exact=True)
    assert_frame_equal(serial.draws, parallel.draws, check_exact=True)
    bed = serial.results[(serial.results.metric == "bed_days") & (serial.results.replication == 0)]
    assert bed.value.nunique() > 2
    again = scenario(*args)
    assert draw_values(again, 1) == draw_values(scenario(*args), 1)
    assert draw_values(again, 1) != draw_values(again, 2)


def test_decision_probabilities_and_the_summary_by_hand():
    rows = []
    # two draws x two replications; baseline bed days 10, the organisation 8 / 12 / 9 / 9
    for draw, org_values in ((0, (8.0, 8.0)), (1, (12.0, 9.0))):
        for rep, v in enumerate(org_values):
            rows += [{"draw": draw, "organisation": "base", "replication": rep,
                      "metric": "bed_days_per_citizen_year", "value": 10.0},
                     {"draw": draw, "organisation": "org", "replication": rep,
                      "metric": "bed_days_per_citizen_year", "value": v}]
    changes = draw_changes(pd.DataFrame(rows), "base")
    assert changes.change_pct.tolist() == pytest.approx([-20.0, 5.0])
    summary = summarise_draws(changes).iloc[0]
    assert summary.change_pct == pytest.approx(-7.5)
    # draw 0 has no Monte Carlo spread; draw 1: residuals (12 - 1.05 x 10)/10, (9 - 10.5)/10
    mc = np.mean([0.0, 100**2 * np.var([0.15, -0.15], ddof=1) / 2])
    assert summary.monte_carlo_share == pytest.approx(mc / np.var([-20.0, 5.0], ddof=1))
    d = decision_probabilities(changes, 10.0).set_index("decision").probability
    assert d["bed_days_fall"] == 0.5 and d["bed_days_fall_by_threshold"] == 0.5


@pytest.mark.parametrize("args, words", [
    ([f"{P}={{clinical.nosuch: {{distribution: uniform, low: 0, high: 1}}}}"], [f"{P}.clinical.nosuch", "no such"]),
    ([f"{P}={{clinical.crisis_averted_prob: {{distribution: uniform, low: 0.7, high: 0.3}}}}"], ["below"]),
    ([f"{P}={{clinical.crisis_averted_prob: {{distribution: uniform, low: 0.5, high: 1.3}}}}"],
     [f"{P}.clinical.crisis_averted_prob", "1.3"]),
    ([f"{P}={{clinical.crisis_averted_prob: {{distribution: normal, low: 0, high: 1}}}}"], ["distribution", "uniform"]),
    (["uncertainty.draws=-1"], ["uncertainty.draws"]),
])
def test_bad_uncertainty_is_one_line(tmp_path, args, words):
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "sim", *SMALL, "uncertainty.draws=2", *args,
                           f"hydra.run.dir={out}"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert_one_line_error(proc, words, out)


def test_the_config_checks_refuse_before_anything_runs():
    with pytest.raises(ConfigError, match="uncertainty.parameters"):
        scenario(*SMALL, "uncertainty.draws=2",
                 f"{P}={{clinical.los_shape: {{distribution: uniform, low: -1, high: 2}}}}")


def test_the_parameter_the_change_follows_ranks_first():
    from sim.experiments.uncertainty import drivers

    rng = np.random.default_rng(1)
    a, b = rng.random(30), rng.random(30)
    draws = pd.DataFrame([{"draw": d, "parameter": name, "value": v}
                          for d in range(30) for name, v in (("a", a[d]), ("b", b[d]))])
    changes = pd.DataFrame({"draw": range(30), "organisation": "org", "metric": "bed_days_per_citizen_year",
                            "change_pct": -40 + 30 * a})
    ranked = drivers(draws, changes).set_index("parameter")
    assert ranked.loc["a", "rank"] == 1 and ranked.loc["a", "spearman_rho"] == pytest.approx(1.0)
    assert abs(ranked.loc["b", "spearman_rho"]) < 0.5


POST = "uncertainty.posterior"
TWO = (f"{POST}={{parameters: [clinical.crisis_averted_prob, clinical.inreach_los_ratio], "
       "particles: [[0.2, 0.6], [0.8, 1.0]], weights: [1, 3]}")


def test_posterior_draws_take_whole_particles_by_weight():
    sc = scenario(*SMALL, "uncertainty.draws=400", TWO)
    drawn = [draw_values(sc, d) for d in range(400)]
    pairs = {(v["clinical.crisis_averted_prob"], v["clinical.inreach_los_ratio"]) for v in drawn}
    assert pairs == {(0.2, 0.6), (0.8, 1.0)}   # never a mix of two particles
    share = np.mean([v["clinical.crisis_averted_prob"] == 0.8 for v in drawn])
    assert 0.68 <= share <= 0.82                # weight 3 of 4, 400 draws: 0.75 +- 3.5 sd
    post = sc.uncertainty.posterior
    assert post.particle(0.0) == {"clinical.crisis_averted_prob": 0.2, "clinical.inreach_los_ratio": 0.6}
    assert post.particle(0.2499)["clinical.crisis_averted_prob"] == 0.2
    assert post.particle(0.2501)["clinical.crisis_averted_prob"] == 0.8
    assert sc.uncertainty.names == ("clinical.crisis_averted_prob", "clinical.inreach_los_ratio")


def test_a_posterior_of_one_particle_at_the_defaults_gives_the_plain_run():
    value = scenario(*SMALL).clinical.crisis_averted_prob   # the default, whatever the clinical group
    one = (f"{POST}={{parameters: [clinical.crisis_averted_prob], particles: [[{value!r}]], weights: [1]}}")
    got = run_study(scenario(*SMALL, "uncertainty.draws=2", one), progress=False, n_jobs=1)
    for d in range(2):
        assert_frame_equal(per_draw(got.results, d), plain_results(), check_exact=True)


@pytest.mark.parametrize("post, words", [
    ("{parameters: [clinical.crisis_averted_prob], particles: [[0.2, 0.3]], weights: [1]}",
     [f"{POST}.particles[0]", "one value per parameter"]),
    ("{parameters: [clinical.crisis_averted_prob], particles: [[0.2]], weights: [-1]}", [f"{POST}.weights", "> 0"]),
    ("{parameters: [clinical.crisis_averted_prob], particles: [[0.2], [0.3]], weights: [1]}",
     [f"{POST}.weights", "one weight per particle"]),
    ("{parameters: [clinical.crisis_averted_prob], particles: [[1.3]], weights: [1]}",
     [f"{POST}.parameters.clinical.crisis_averted_prob", "1.3"]),
    ("{parameters: [clinical.nosuch], particles: [[1]], weights: [1]}",
     [f"{POST}.parameters.clinical.nosuch", "no such"]),
])
def test_a_bad_posterior_is_one_line(tmp_path, post, words):
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "sim", *SMALL, "uncertainty.draws=2", f"{POST}={post}",
                           f"hydra.run.dir={out}"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert_one_line_error(proc, words, out)


def test_a_parameter_both_ranged_and_in_the_posterior_is_refused():
    with pytest.raises(ConfigError, match="already drawn from the posterior"):
        scenario(*SMALL, "uncertainty=ranges", TWO)
