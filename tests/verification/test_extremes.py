"""Extreme values and monotonicity: results we know without running the model."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from sim.experiments.simulate import simulate

from ..conftest import scale_staff, scenario


def metrics(sc, org, reps=3):
    return [simulate(sc, org, rep).metrics for rep in range(reps)]


@pytest.mark.parametrize("org", ["baseline", "organisation"])
def test_unlimited_beds_means_no_waits_and_one_bed_means_waits(org):
    free = scenario("population.beds=null")
    scarce = scenario("population.beds=1")
    for m in metrics(free, getattr(free, org)):
        assert m["admissions"] > 0
        assert m["bed_wait_days"] == 0 and m["admissions_waited"] == 0
    for m in metrics(scarce, getattr(scarce, org)):
        assert m["bed_wait_days"] > 0 and m["admissions_waited"] > 0
        assert m["mean_beds_occupied"] <= 1.0


@pytest.mark.parametrize("org", ["baseline", "organisation"])
def test_no_deterioration_means_no_crises_and_no_admissions(org):
    sc = scenario("clinical.deterioration_rate_per_year=0")
    for m in metrics(sc, getattr(sc, org)):
        assert m["deteriorations"] == 0 and m["crises"] == 0
        assert m["admissions"] == 0 and m["bed_days"] == 0 and m["coercive_admissions"] == 0
        assert m["scaleups_requested"] == 0


@pytest.mark.parametrize("org", ["baseline", "organisation"])
def test_no_staff_means_no_scaleups_and_the_refusals_are_counted(org):
    sc = scenario()
    empty = scale_staff(getattr(sc, org), 0.0)
    for m in metrics(sc, empty):
        assert m["scaleups"] == 0
        assert m["scaleups_refused"] == m["scaleups_requested"] > 0
        assert m["staff_hours"] == 0
        assert m["contacts_delivered"] == 0 and m["contacts_lost"] > 0


def test_no_contacts_lost_when_staff_are_plenty():
    sc = scenario()
    rich = scale_staff(sc.organisation, 20.0)
    for m in metrics(sc, rich):
        assert m["contacts_lost"] == pytest.approx(0.0, abs=1e-9)
        assert m["scaleups_refused"] == 0


@pytest.mark.parametrize("org, teams", [("baseline", ("acute",)), ("organisation", None)])
def test_more_staff_never_means_more_refused_scaleups(org, teams):
    sc = scenario("replications=4")
    base = getattr(sc, org)
    refused = []
    for factor in (0.25, 0.5, 1.0, 2.0, 4.0):
        refused.append(np.mean([m["scaleups_refused"]
                                for m in metrics(sc, scale_staff(base, factor, teams), reps=4)]))
    assert refused[0] > 0
    assert all(a >= b for a, b in zip(refused, refused[1:])), refused
    assert refused[-1] < refused[0]


def test_equal_mechanisms_give_equal_results():
    """An organisation that only differs in name and labels has the same outcomes."""
    sc = scenario()
    twin = dataclasses.replace(sc.baseline, name="twin", label="Twin", label_da="Tvilling")
    for rep in range(3):
        a = simulate(sc, sc.baseline, rep)
        b = simulate(sc, twin, rep)
        assert a.metrics == b.metrics
        assert a.events.equals(b.events)


def test_equal_mechanisms_through_the_yaml_give_equal_results():
    """Cross-sectoral FACT with every mechanism set to fragmented care's is fragmented care."""
    sc = scenario("organisation=fragmented", "organisation.name=fragmented_again",
                  "organisation@baseline=fragmented")
    for rep in range(2):
        assert simulate(sc, sc.baseline, rep).metrics == simulate(sc, sc.organisation, rep).metrics


def test_different_mechanisms_give_different_results():
    """The converse, so the equality tests above cannot pass by ignoring the organisation."""
    sc = scenario()
    a = simulate(sc, sc.baseline, 0).metrics
    b = simulate(sc, sc.organisation, 0).metrics
    assert a["bed_days"] != b["bed_days"]
