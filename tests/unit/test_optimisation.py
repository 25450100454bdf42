"""An optimising sweep's choice of the best options, from a trials table made by hand;
the objective's metrics and values against a real run."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.config.errors import ConfigError
from sim.config.params import RESULT_METRICS, Constraint, Objective, Term
from sim.output import optimisation

OBJECTIVE = Objective(name="cost", label="cost", label_da="udgift", direction="minimize", of="change", unit="DKK",
                      terms={"all": Term(metric="cost_per_citizen_year.total")},
                      constraints={"busy": Constraint(metric="team_max.staff_utilisation", at_most=0.9)})


def trials(rows) -> pd.DataFrame:
    """(objective, lower, upper, busy) per trial; feasible when busy <= 0.9."""
    return pd.DataFrame([{"trial": i, "job": i, "state": "complete", "repeat_of": pd.NA, "x": i, "objective": o,
                          "objective_ci_lower": lo, "objective_ci_upper": hi, "covers": "noise", "n": 20,
                          "busy": busy, "feasible": busy <= 0.9} for i, (o, lo, hi, busy) in enumerate(rows)])


def test_a_point_that_breaks_a_constraint_is_never_best_and_the_overlapping_are_options():
    table = optimisation.choose(trials([(-50, -55, -45, 0.95),    # cheapest, but the team is over 90 %
                                        (-30, -33, -27, 0.80),    # best feasible
                                        (-28, -31, -25, 0.85),    # overlaps it: an option
                                        (-20, -22, -18, 0.70)]), "minimize")
    assert table.best.tolist() == [False, True, False, False]
    assert table.option.tolist() == [False, True, True, False]
    assert optimisation.binding(table, ["busy"], "minimize", OBJECTIVE) == ["busy"]


def test_maximising_picks_the_largest_feasible():
    table = optimisation.choose(trials([(10, 9, 11, 0.5), (12, 11.5, 12.5, 0.5), (20, 19, 21, 1.0)]), "maximize")
    assert table.best.tolist() == [False, True, False]


def test_with_every_point_infeasible_there_is_no_best_and_the_sentence_says_so():
    table = optimisation.choose(trials([(-50, -55, -45, 0.95), (-30, -33, -27, 0.99)]), "minimize")
    assert not table.best.any() and not table.option.any()
    bind = optimisation.binding(table, ["busy"], "minimize", OBJECTIVE)
    for lang, words in (("en", "None of the 2 distinct points"), ("da", "Intet af de 2 forskellige punkter")):
        text = optimisation.sentence(table, ["x"], OBJECTIVE, bind, {}, {}, lang)
        assert words in text and "busy" in text


def test_with_parameter_draws_each_option_has_its_probability_of_being_best():
    table = trials([(-30, -40, -20, 0.5), (-29, -39, -19, 0.5), (-10, -12, -8, 0.5)])
    table["covers"] = "draws"
    draws = {0: pd.Series([-31, -30, -29, -30]), 1: pd.Series([-30, -29, -30, -27]), 2: pd.Series([-10] * 4)}
    out = optimisation.choose(table, "minimize", draws)
    assert out.p_best.iloc[0] == pytest.approx(0.75) and out.p_best.iloc[1] == pytest.approx(0.25)
    assert math.isnan(out.p_best.iloc[2])   # not an option: no probability
    text = optimisation.sentence(out, ["x"], OBJECTIVE, [], {}, {"baseline": "today"}, "en")
    assert "75 %" in text and "over the parameters' uncertainty" in text


def test_a_constraint_holds_at_its_bound_but_for_rounding():
    c = Constraint(metric="staff_fte_regional", of="change", at_most=0.0)
    assert c.violation(-8.9e-16) == 0.0 and c.violation(1e-3) > 0
    assert Constraint(metric="contacts_lost_share", at_least=0.5).violation(0.4) == pytest.approx(0.1)


def test_an_objective_or_constraint_naming_an_unknown_metric_is_refused_naming_its_key():
    from sim.config.validate import build

    with pytest.raises(ConfigError, match=r"^objective.terms.a.metric = 'nosuch': unknown metric"):
        build(Objective, {"name": "x", "label": "x", "label_da": "x", "direction": "minimize", "of": "level",
                          "unit": "u", "terms": {"a": {"metric": "nosuch"}}}, "objective")
    with pytest.raises(ConfigError, match=r"^objective.constraints.c: give one bound"):
        build(Objective, {"name": "x", "label": "x", "label_da": "x", "direction": "minimize", "of": "level",
                          "unit": "u", "terms": {"a": {"metric": "bed_days"}},
                          "constraints": {"c": {"metric": "bed_days"}}}, "objective")


def test_the_objective_metrics_are_the_metrics_a_run_gives_and_its_values_are_paired_changes():
    from sim.experiments.runner import run_study
    from sim.output.run_folder import objective_tables
    from tests.conftest import scenario

    sc = scenario("objective=region_municipality_cost")
    study = run_study(sc, progress=False, n_jobs=1)
    assert set(RESULT_METRICS) == set(study.results.metric)
    tables = objective_tables(sc, study)
    values = tables["objective_values"]
    # a constraint of the change: the organisation's value less the baseline's, replication by replication
    fte = study.results[study.results.metric == "staff_fte_regional"].pivot(
        index="replication", columns="organisation", values="value")
    expected = (fte[sc.organisation.name] - fte[sc.baseline.name]).to_numpy()
    got = values[values.name == "fte_regional"].sort_values("replication").value.to_numpy()
    assert got == pytest.approx(expected)
    summary = tables["objective"].set_index("name")
    assert summary.loc["objective", "n"] == sc.replications and summary.loc["objective", "covers"] == "noise"
    row = summary.loc["objective"]
    assert row["ci_lower"] <= row["mean"] <= row["ci_upper"]
    # the region's plus the municipalities' money per citizen-year: the payers' total a year
    # over the citizen-years a year, organisation less baseline, replication by replication
    from sim.config.units import DAYS_PER_YEAR
    from sim.output import money

    start, end = sc.window
    years = (end - start) / DAYS_PER_YEAR
    costs = money.payer_costs(study.results, study.municipalities, study.teams, study.capacity, sc.economy, years)
    total = money.as_results(costs).query("metric == 'total'").set_index(["organisation", "replication"]).value
    cy = study.results[study.results.metric == "citizen_years"].set_index(["organisation", "replication"]).value
    per = (total * years / cy).unstack("organisation")
    expected = (per[sc.organisation.name] - per[sc.baseline.name]).sort_index().to_numpy()
    got = values[values.name == "objective"].sort_values("replication").value.to_numpy()
    assert got == pytest.approx(expected)
