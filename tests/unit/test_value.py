"""Net benefit, the probability each organisation is best, the acceptability curve and the
value of information (sim.output.value), against hand computations and known answers."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from sim.config.errors import ConfigError
from sim.config.load import load
from sim.output import money, value

from ..conftest import compose_cfg, scenario


def valuation(**changes):
    """The shipped valuation, with ``changes``."""
    return dataclasses.replace(scenario("uncertainty=posterior").valuation, **changes)


def table(nb: np.ndarray, orgs=("base", "other")) -> pd.DataFrame:
    """A net_benefit table from a draws x organisations array (the first the baseline)."""
    rows = [{"draw": d, "organisation": o, "net_benefit": float(nb[d, i])}
            for d in range(nb.shape[0]) for i, o in enumerate(orgs)]
    return pd.DataFrame(rows)


def params(x: np.ndarray, names=None) -> pd.DataFrame:
    """A draws table (draw, parameter, value) from a draws x parameters array."""
    names = names or [f"p{j}" for j in range(x.shape[1])]
    return pd.DataFrame([{"draw": d, "parameter": n, "value": float(x[d, j])}
                         for d in range(x.shape[0]) for j, n in enumerate(names)])


def synthetic(draws: int = 150, noise: float = 30.0, seed: int = 3):
    """Three parameters drawn uniformly; the other organisation's net benefit against the
    baseline reads the first two (the first most) and never the third."""
    rng = np.random.default_rng(seed)
    x = rng.random((draws, 3))
    incremental = 1000 * (x[:, 0] - 0.5) + 400 * (x[:, 1] - 0.45) + rng.normal(0, noise, draws)
    base = rng.normal(-100_000, 5_000, draws)   # common to both: it cancels in every comparison
    return np.column_stack([base, base + incremental]), x


# -- EVPI and EVPPI ------------------------------------------------------------------------------

def test_evpi_equals_a_hand_computation():
    nb = np.array([[10.0, 0.0], [0.0, 10.0], [5.0, 6.0]])
    # best in each draw: 10, 10, 6 (mean 26/3); best on average: the second (16/3)
    assert value.evpi(nb) == pytest.approx(26 / 3 - 16 / 3)
    voi = value.value_of_information(table(nb), params(np.zeros((3, 1))), valuation(), "base", seed=1)
    assert voi.set_index("kind").loc["evpi", "value"] == pytest.approx(10 / 3)
    assert voi.set_index("kind").loc["evpi", "value_region"] == pytest.approx(10 / 3 * valuation().population_years)


def test_the_region_is_the_citizens_times_the_discounted_years():
    v = valuation(region_citizens=1000.0, horizon_years=3.0, discount_rate=0.10)
    assert v.population_years == pytest.approx(1000 * (1 + 1 / 1.1 + 1 / 1.1 ** 2))
    assert valuation(horizon_years=2.5, discount_rate=0.0).population_years == pytest.approx(
        2.5 * valuation().region_citizens)


def test_evppi_of_every_parameter_together_is_evpi():
    nb, x = synthetic()
    total = value.evpi(nb)
    together, r2 = value.evppi(nb, x, seed=1)
    assert total > 50
    assert together == pytest.approx(total, rel=0.1)
    assert r2 > 0.9


def test_evppi_of_a_parameter_the_model_never_reads_is_near_zero():
    nb, x = synthetic()
    unread, _ = value.evppi(nb, x[:, [2]], seed=1)
    read, _ = value.evppi(nb, x[:, [0]], seed=1)
    assert unread < 0.05 * value.evpi(nb)
    assert read > 0.5 * value.evpi(nb)


@pytest.mark.parametrize("seed", range(6))
def test_evppi_is_never_negative_nor_above_evpi(seed):
    nb, x = synthetic(draws=40, noise=300.0, seed=seed)   # noisy: a regression's error can overshoot
    total = value.evpi(nb)
    for columns in ([0], [1], [2], [0, 1], [0, 1, 2]):
        got, _ = value.evppi(nb, x[:, columns], seed=seed)
        assert 0.0 <= got <= total


def test_one_organisation_best_in_every_draw_has_no_value_of_information():
    rng = np.random.default_rng(5)
    x = rng.random((40, 2))
    base = rng.normal(-150_000, 20_000, 40)
    nb = np.column_stack([base, base + 20 + 200 * x[:, 0] + rng.uniform(-10, 10, 40)])
    voi = value.value_of_information(table(nb), params(x), valuation(groups={"g": ("p0",)}), "base", seed=2)
    assert (voi.value == 0.0).all() and (voi.value_region == 0.0).all()
    assert voi.reliable.all()
    parts = pd.DataFrame([{"draw": d, "organisation": o, "kind": "outcome", "part": "bed_days",
                           "quantity": q, "unit_value": 0.0, "value": 0.0}
                          for d in range(40) for o, q in (("base", 20.0), ("other", 15.0))])
    nbt = table(nb).assign(costs=-table(nb).net_benefit)
    best = value.best_probability(nbt, parts).set_index(["criterion", "organisation"]).probability
    assert best["net_benefit", "other"] == 1.0 and best["net_benefit", "base"] == 0.0
    assert best["bed_days", "other"] == 1.0


def test_too_few_draws_give_no_regression():
    nb, x = synthetic(draws=value.MIN_DRAWS - 1)
    got, r2 = value.evppi(nb, x, seed=1)
    assert np.isnan(got) and np.isnan(r2)


def test_the_leave_one_out_fit_is_high_for_a_signal_and_low_for_noise():
    rng = np.random.default_rng(8)
    x = rng.random((60, 1))
    assert value.regression(np.sin(6 * x[:, 0]), x, seed=1).loo_r_squared > 0.95
    assert value.regression(rng.normal(size=60), x, seed=1).loo_r_squared < 0.2


# -- best, acceptability -------------------------------------------------------------------------

def test_a_tie_shares_the_draw():
    shares = value._best_shares(np.array([[1.0, 1.0], [2.0, 1.0]]), highest=True)
    assert shares == pytest.approx([0.75, 0.25])


def test_the_acceptability_curve_rises_with_the_value_of_the_outcome_one_organisation_avoids():
    """Only the value of a bed day changes along the curve: the organisation that avoids bed
    days (at a cost) is best more often the more a bed day avoided is worth."""
    rng = np.random.default_rng(4)
    draws = 60
    avoided = rng.uniform(1, 6, draws)          # bed days per citizen-year the other avoids
    extra = rng.uniform(5_000, 25_000, draws)   # what it costs more
    rows, nb = [], []
    for d in range(draws):
        for org, rate, cost in (("base", 20.0, 100_000.0), ("other", 20.0 - avoided[d], 100_000.0 + extra[d])):
            rows.append({"draw": d, "organisation": org, "kind": "outcome", "part": "bed_days", "quantity": rate,
                         "unit_value": 0.0, "value": 0.0})
            nb.append({"draw": d, "organisation": org, "net_benefit": -cost})
    v = valuation(acceptability=dataclasses.replace(valuation().acceptability, low=0.0, high=20_000.0, steps=41))
    curve = value.acceptability(pd.DataFrame(nb), pd.DataFrame(rows), v)
    other = curve[curve.organisation == "other"].sort_values("value").probability.to_numpy()
    assert np.all(np.diff(other) >= 0)
    assert other[0] == 0.0 and other[-1] == 1.0
    total = curve.groupby("value").probability.sum()
    assert np.allclose(total, 1.0)


# -- costs and net benefit from a real run -------------------------------------------------------

@pytest.fixture(scope="module")
def run():
    from sim.experiments.runner import run_study

    sc = scenario("uncertainty=posterior", "uncertainty.draws=3", "replications=2", "results_years=1",
                  "warmup_years=0.25")
    return sc, run_study(sc, progress=False, n_jobs=1)


def test_costs_at_the_economy_prices_are_the_payers_money(run):
    sc, study = run
    years = 1.0
    priced = value.priced_costs(study.results, study.municipalities, study.teams, study.capacity, sc.economy,
                                years, {})
    plain = money.payer_costs(study.results, study.municipalities, study.teams, study.capacity, sc.economy, years)
    assert np.allclose(priced.value, plain.value)
    dearer = {d: {**{p: float(getattr(sc.economy, p)) for p in value.PRICED}, "bed_day": 2 * sc.economy.bed_day}
              for d in range(3)}
    doubled = value.priced_costs(study.results, study.municipalities, study.teams, study.capacity, sc.economy,
                                 years, dearer)
    beds = plain["item"] == "bed_days"
    assert np.allclose(doubled.value[beds], 2 * plain.value[beds])
    assert np.allclose(doubled.value[~beds], plain.value[~beds])


def test_net_benefit_is_minus_the_valued_outcomes_minus_the_costs(run):
    sc, study = run
    tables = value.value_tables(sc, study.results, study.municipalities, study.teams, study.capacity,
                                study.draws, 1.0)
    parts, nb = tables["net_benefit_parts"], tables["net_benefit"]
    outcome = parts[parts.kind == "outcome"]
    assert np.allclose(outcome.value, outcome.quantity * outcome.unit_value)
    sums = parts.groupby(["draw", "organisation"]).value.sum()
    got = nb.set_index(["draw", "organisation"]).net_benefit
    assert np.allclose(got, -sums.reindex(got.index))
    base = nb[nb.organisation == sc.baseline.name]
    assert (base.incremental == 0).all()
    assert nb.groupby("draw").best.sum().eq(1).all()
    # a bed day's rate is the run's own
    rate = study.results[study.results.metric == "bed_days_per_citizen_year"].groupby(
        ["draw", "organisation"]).value.mean()
    beds = outcome[outcome.part == "bed_days"].set_index(["draw", "organisation"]).quantity
    assert np.allclose(beds, rate.reindex(beds.index))
    assert set(tables["price_draws"].parameter) == set(sc.valuation.prices)


def test_drawn_prices_are_reproducible_and_within_their_ranges():
    sc = scenario("uncertainty=posterior", "uncertainty.draws=50")
    first, again = value.price_draws(sc), value.price_draws(sc)
    pd.testing.assert_frame_equal(first, again)
    for name, dist in sc.valuation.prices.items():
        v = first[first.parameter == name].value
        assert len(v) == 50 and v.between(dist.low, dist.high).all() and v.nunique() == 50
    assert len(value.price_draws(scenario())) == 0   # no parameter draws: no prices drawn


def test_the_shipped_region_is_midtjyllands_target_group():
    region = scenario("population=midtjylland").population.target_group
    assert scenario().valuation.region_citizens == pytest.approx(region, rel=0.01)


# -- bad input ----------------------------------------------------------------------------------

@pytest.mark.parametrize("override, key", [
    ("valuation.outcomes.coercive_admissions=-5", "valuation.outcomes.coercive_admissions"),
    ("+valuation.outcomes.happiness=3", "valuation.outcomes.happiness: unknown outcome"),
    ("valuation.groups.costs=[economy.bed_day,clinical.no_such_thing]",
     "valuation.groups.costs.clinical.no_such_thing: no such parameter"),
    ("valuation.acceptability.outcome=admissions", "valuation.acceptability.outcome"),
    ("valuation.acceptability.high=0", "valuation.acceptability.high"),
    ("valuation.discount_rate=1.5", "valuation.discount_rate"),
    ("valuation.region_citizens=0", "valuation.region_citizens"),
    ("valuation.currency=EUR", "valuation.currency"),
    ("+valuation.prices.clinical.los_shape={distribution:point,value:2}", "valuation.prices.clinical.los_shape"),
    ("valuation.prices={economy.bed_day:{distribution:uniform,low:-100,high:10}}", "valuation.prices.economy.bed_day"),
])
def test_a_bad_valuation_names_its_key(override, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.").replace("[", r"\[")):
        load(compose_cfg(override))


def test_evppi_is_kept_at_most_evpi_when_a_regression_overshoots(monkeypatch):
    """A regression's fitted values can spread wider than the draws (an overfit): the
    EVPPI formula on them would then exceed EVPI, which no partial knowledge can."""
    nb, x = synthetic(draws=40)
    monkeypatch.setattr(value, "regression", lambda y, x, seed: value.Fit(3 * y, 0.9))
    got, _ = value.evppi(nb, x, seed=1)
    assert got == pytest.approx(value.evpi(nb))
