"""Money by payer: the region and each municipality, priced from the run's tables with
the run's economy; the payers' totals add up to the total cost."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.config.units import DAYS_PER_YEAR
from sim.experiments.runner import run_study
from sim.output import money

from ..conftest import scenario


@pytest.fixture(scope="module")
def run():
    sc = scenario("replications=3", "event_log=false")
    study = run_study(sc, progress=False, n_jobs=1)
    start, end = sc.window
    years = (end - start) / DAYS_PER_YEAR
    costs = money.payer_costs(study.results, study.municipalities, study.teams, study.capacity, sc.economy, years)
    return sc, study, years, costs


def test_the_payers_totals_add_up_to_the_total_cost(run):
    sc, study, years, costs = run
    e = sc.economy
    wide = study.results.pivot_table(index=["organisation", "replication"], columns="metric", values="value")
    # the total from the run's own figures, priced by hand: beds, coercion, staff paid in both sectors
    total = (wide.bed_days * e.bed_day / years + wide.coercive_bed_days * e.coercive_bed_day_extra / years
             + wide.staff_fte_regional * e.fte_year_regional + wide.staff_fte_municipal * e.fte_year_municipal)
    by_payers = costs.groupby(["organisation", "replication"])["value"].sum()
    pd.testing.assert_series_equal(by_payers.sort_index(), total.sort_index(), check_names=False, rtol=1e-9)
    assert set(costs.payer) == {"region", *sc.population.municipalities}
    tables = money.payer_tables(costs, sc.baseline.name, sc.replications)
    s = tables["payer_summary"].set_index(["organisation", "payer"])["mean"]
    for org in ("fragmented", "fact_crosssector"):
        payers = s[org].drop("total")
        assert payers.sum() == pytest.approx(s[(org, "total")], rel=1e-12)
    c = tables["payer_comparison"].set_index("payer")
    assert c.drop("total").difference.sum() == pytest.approx(c.at["total", "difference"], rel=1e-9)


def test_a_day_ready_for_discharge_moves_money_from_the_municipality_to_the_region(run):
    sc, study, years, costs = run
    flow = costs[costs["item"] == "discharge_ready"].groupby(["organisation", "replication", "payer"])["value"].sum()
    region = flow.xs("region", level="payer")
    municipal = flow.drop("region", level="payer").groupby(level=[0, 1]).sum()
    assert (region < 0).all() and np.allclose(region, -municipal)   # an income to one, a cost to the other
    wide = study.results.pivot_table(index=["organisation", "replication"], columns="metric", values="value")
    assert np.allclose(municipal.sort_index(), (wide.bed_blocking_days * sc.economy.discharge_ready_day_payment
                                                / years).sort_index())


def test_a_team_covering_two_municipalities_is_paid_by_their_citizens():
    e = scenario().economy
    results = pd.DataFrame([("fact", 0, m, v) for m, v in (("bed_days", 0.0), ("coercive_bed_days", 0.0),
                                                            ("staff_fte_regional", 0.0), ("staff_fte_municipal", 4.0),
                                                            ("bed_blocking_days", 0.0))],
                           columns=["organisation", "replication", "metric", "value"])
    munis = pd.DataFrame([("fact", 0, "odder", "citizen_years", 100.0), ("fact", 0, "horsens", "citizen_years", 300.0),
                          ("fact", 0, "odder", "bed_blocking_days", 0.0),
                          ("fact", 0, "horsens", "bed_blocking_days", 0.0)],
                         columns=["organisation", "replication", "municipality", "metric", "value"])
    teams = pd.DataFrame([("fact", 0, "fact", "staff_fte_municipal", 4.0)],
                         columns=["organisation", "replication", "team", "metric", "value"])
    capacity = pd.DataFrame({"organisation": ["fact"], "team": ["fact"], "covers": ["odder horsens"]})
    costs = money.payer_costs(results, munis, teams, capacity, e, 1.0)
    staff = costs[costs["item"] == "staff"].set_index("payer")["value"]
    assert staff["odder"] == pytest.approx(1.0 * e.fte_year_municipal)
    assert staff["horsens"] == pytest.approx(3.0 * e.fte_year_municipal)


def test_every_price_is_data_with_a_source():
    from sim.config.load import load

    from ..conftest import compose_cfg
    _, prov = load(compose_cfg())
    economy = [r for r in prov if r["parameter"].startswith("economy.")]
    assert {r["parameter"] for r in economy} >= {"economy.bed_day", "economy.fte_year_regional",
                                                 "economy.fte_year_municipal", "economy.discharge_ready_day_payment",
                                                 "economy.overload_utilisation"}
    assert all(r["source"].startswith("assumption") or "[" in r["source"] for r in economy)
