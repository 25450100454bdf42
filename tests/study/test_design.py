"""The pre/post design run by the model: common random numbers, the counterfactual,
and the decomposition's known answers."""
from __future__ import annotations

import dataclasses

import pytest

from sim.experiments.prepost import decompose, summarise_decomposition
from sim.experiments.runner import run_study
from sim.experiments.simulate import simulate
from sim.model.names import COUNTED_EVENTS
from sim.model.replication import Model

from ..conftest import scenario

STUDY = ("study=norway_prepost", "warmup_years=1", "progress=false", "n_jobs=-1")


def _decomposition(sc, reps: int):
    sc = dataclasses.replace(sc, replications=reps)
    result = run_study(sc)
    return result, summarise_decomposition(decompose(result.prepost, sc.baseline.name))


def _row(summary, measure, quantity):
    return summary[(summary.measure == measure) & (summary.quantity == quantity)].iloc[0]


@pytest.fixture(scope="module")
def twin_study():
    """The 'new' organisation is fragmented care under another name."""
    sc = scenario(*STUDY, quick=False)
    twin = dataclasses.replace(sc.baseline, name="twin", label="Twin", label_da="Tvilling")
    return _decomposition(dataclasses.replace(sc, organisation=twin), 16)


def test_before_inclusion_both_arms_are_the_same_run(twin_study):
    result, _ = twin_study
    as_run = result.prepost[result.prepost.calendar == "trend"]
    pre = as_run[as_run.period == "pre"].pivot_table(
        index=["replication", "measure"], columns="organisation", values="value")
    assert pre["twin"].to_numpy() == pytest.approx(pre["fragmented"].to_numpy(), rel=1e-9, abs=1e-9)
    cohorts = as_run.groupby("organisation").cohort.sum()
    assert cohorts["twin"] == cohorts["fragmented"] > 0


def test_with_equal_mechanisms_the_organisation_effect_is_zero_but_the_ratio_is_not_one(twin_study):
    _, summary = twin_study
    for measure in ("admissions", "coercive_admissions", "bed_days", "coercive_bed_days",
                    "people_admitted"):
        effect = _row(summary, measure, "organisation_effect")
        assert effect.ci_lower <= 0.0 <= effect.ci_upper, (measure, effect.to_dict())
        # the same mechanisms under common random numbers: not only within noise, exactly zero
        assert abs(effect["mean"]) < 1e-9, (measure, effect.to_dict())
    # enrolled after a recent crisis, the cohort's admissions fall anyway: regression to the mean
    observed = _row(summary, "admissions", "observed_ratio")
    assert observed.ci_upper < 1.0, observed.to_dict()
    assert observed["mean"] == pytest.approx(_row(summary, "admissions", "counterfactual_ratio")["mean"],
                                             abs=0.05)


def test_a_different_organisation_has_an_effect_the_interval_sees():
    """The converse, so the test above can fail: cross-sectoral FACT cuts bed days."""
    _, summary = _decomposition(scenario(*STUDY, quick=False), 8)
    effect = _row(summary, "bed_days", "organisation_effect")
    assert effect.ci_upper < 0.0, effect.to_dict()


def test_enrolling_everyone_takes_every_citizen_alive_at_inclusion():
    sc = scenario(*STUDY, "study.enrolment.recent_event=none", "replications=1", quick=False)
    model = Model(sc, sc.care_plan(sc.baseline), 0, enrol_into=sc.care_plan(sc.organisation))
    model.env.run(until=sc.inclusion_day + 1e-6)
    assert sorted(model.cohort) == sorted(model.census.citizens)
    # the organisation has taken over: every citizen is served by it, and only by it
    assert all(c.org is sc.organisation for c in model.census.citizens.values())
    assert [n.org for n in model.networks] == [sc.organisation] and model.network.org is sc.organisation
    assert sum(t.contacts[0] for t in model.networks[0].teams) > 0   # routine contacts (WORK[0])


def test_enrolment_on_a_recent_crisis_takes_exactly_those_citizens_and_only_they_move():
    sc = scenario(*STUDY, "replications=1", "study.moves=enrolled", quick=False)
    model = Model(sc, sc.care_plan(sc.baseline), 0, enrol_into=sc.care_plan(sc.organisation))
    model.env.run(until=sc.inclusion_day + 1e-6)
    since = sc.inclusion_day - 12 * 365 / 12
    expected = [cid for cid, c in model.census.citizens.items() if any(t >= since for t in c.crises)]
    assert sorted(model.cohort) == sorted(expected)
    assert 0 < len(expected) < len(model.census.citizens)
    moved = {c.id for c in model.census.citizens.values() if c.org is sc.organisation}
    assert moved == set(expected)
    # the baseline's teams keep the others; the new teams carry only the enrolled
    assert len(model.networks) == 2 and model.network.org is sc.baseline
    team = model.networks[1].teams[0]
    assert team.case_manager_fte == pytest.approx(len(expected) / 100.0 * sum(
        m.fte_per_100 for m in team.spec.staffing.values() if m.case_manager))


def test_without_the_event_log_a_study_counts_the_same_from_the_events_it_keeps():
    """A run with ``event_log=false`` keeps only the events the study counts: its counts
    and metrics are those of the same run with the whole log, and its log holds nothing else."""
    full = scenario(*STUDY)
    lean = dataclasses.replace(full, event_log=False)
    for org in full.organisations:
        a, b = simulate(full, org, 0), simulate(lean, org, 0, tables=False)
        assert b.events is None
        assert a.prepost.equals(b.prepost)
        assert a.metrics == b.metrics
        assert a.prepost.value.sum() > 0
    kinds = {row[2] for row in Model(lean, lean.care_plan(lean.baseline), 0).run(tables=False).log}
    assert "crisis" in kinds and kinds <= COUNTED_EVENTS


def _parts(sc, reps: int):
    sc = dataclasses.replace(sc, replications=reps)
    return decompose(run_study(sc).prepost, sc.baseline.name)


@pytest.fixture(scope="module")
def with_and_without_trend():
    """The default study (cross-sectoral FACT), with the shipped calendar trend and with none."""
    trend = _parts(scenario(*STUDY, "study.calendar_trend.los_per_year=-0.05", quick=False), 4)
    flat = _parts(scenario(*STUDY, "study.calendar_trend.los_per_year=0", quick=False), 4)
    return trend, flat


def test_the_three_terms_add_up_to_the_observed_change(with_and_without_trend):
    for parts in with_and_without_trend:
        wide = parts.pivot_table(index=["replication", "measure"], columns="quantity", values="value")
        wide = wide.dropna()
        assert len(wide) > 0
        total = wide.organisation_effect + wide.calendar_trend + wide.selection_and_regression
        assert total.to_numpy() == pytest.approx((wide.observed_ratio - 1).to_numpy(), abs=1e-12)


def test_without_a_trend_the_decomposition_is_the_two_term_one(with_and_without_trend):
    _, flat = with_and_without_trend
    wide = flat.pivot_table(index=["replication", "measure"], columns="quantity", values="value").dropna()
    assert (wide.calendar_trend == 0).all()
    assert wide.selection_and_regression.to_numpy() == pytest.approx((wide.counterfactual_ratio - 1).to_numpy())
    assert wide.organisation_effect.to_numpy() == pytest.approx(
        (wide.observed_ratio - wide.counterfactual_ratio).to_numpy())


def test_shorter_stays_over_the_years_show_as_a_fall_in_bed_days_no_organisation_caused(with_and_without_trend):
    trend, _ = with_and_without_trend
    bed_days = trend[(trend.measure == "bed_days") & (trend.quantity == "calendar_trend")].value
    assert bed_days.mean() < -0.02
