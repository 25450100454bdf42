"""Which evidence would change the decision: net benefit, the probability each
organisation is best, the acceptability curve and the value of information.

Read from a run's own tables (its results per parameter draw, its money by payer) with
the run's ``valuation`` (``scenarios/valuation/*.yaml``), never from the model:

- **net benefit** per draw and organisation, per citizen-year: minus the valued outcomes
  (each outcome's rate times its value in ``valuation.outcomes``) minus the costs of every
  payer (:mod:`sim.output.money`, priced with the economy and any prices the valuation
  draws anew per draw). It is the mean over the draw's replications; the best organisation
  of a draw has the highest.
- **the probability each organisation is best**: the share of draws in which it has the
  highest net benefit, the lowest cost, or the lowest rate of a valued outcome (a tie
  shares the draw).
- **the acceptability curve**: the same probability for net benefit as the value of one
  unit of ``valuation.acceptability.outcome`` avoided goes over its range (net benefit is
  linear in it, so no draw is priced again).
- **the expected value of perfect information** (EVPI): what deciding after learning
  every uncertain parameter would gain on average, ``E[max_o NB] - max_o E[NB]`` over the
  draws, per citizen-year; and **partial EVPI** (EVPPI) for one parameter or a named group
  by the regression method of Strong, Oakley and Brennan (2014): each organisation's net
  benefit against the baseline is regressed on the group's drawn values by a Gaussian
  process, and EVPPI is the same formula on the fitted values. The regression averages
  out the simulation's own noise, which EVPI over the raw draws counts as if it were
  information; EVPPI of every parameter together is the noise-free estimate. The fit is
  reported as the leave-one-out R² (closed form for a Gaussian process, Rasmussen and
  Williams 2006, section 5.4.2). Values for the region are the per citizen-year values
  times ``valuation.population_years``.

Gaussian process regression is scikit-learn's ``GaussianProcessRegressor``: the
nonparametric regression Strong et al. recommend for several parameters at once, from a
widely used library with a stable interface, on standardised inputs with one length
scale per parameter and a white-noise term for the simulation's own noise.
"""
from __future__ import annotations

import dataclasses
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config.params import Economy, Scenario, Valuation
from sim.experiments.uncertainty import DRAWS_KEY
from sim.model.streams import generator
from sim.output import money

# the spawn key of prices drawn by the valuation (no replication or draw stream has it)
PRICES_KEY = DRAWS_KEY - 1
# the spawn key of the regressions' optimiser restarts
REGRESSION_KEY = DRAWS_KEY - 2
NET_BENEFIT = "net_benefit"
COST = "cost"
# fewer draws than this: no regression (EVPPI not available)
MIN_DRAWS = 5
# an EVPPI above zero is called reliable from this many draws and this leave-one-out R² up
RELIABLE_DRAWS = 30
RELIABLE_R2 = 0.5
# what a payer's item is priced by (sim.output.money prices these, and nothing else)
_REGION_PRICE = {"bed_days": "bed_day", "coercion": "coercive_bed_day_extra", "staff": "fte_year_regional",
                 "discharge_ready": "discharge_ready_day_payment"}
_MUNICIPAL_PRICE = {"staff": "fte_year_municipal", "discharge_ready": "discharge_ready_day_payment"}
PRICED = tuple(dict.fromkeys([*_REGION_PRICE.values(), *_MUNICIPAL_PRICE.values()]))


# -- prices and costs ---------------------------------------------------------------------------

def price_draws(scenario: Scenario) -> pd.DataFrame:
    """One row per draw and price the valuation draws (``valuation.prices``): the value
    drawn, by inverse transform from one uniform each, from a stream of its own."""
    v, u = scenario.valuation, scenario.uncertainty
    prices = (v.prices or {}) if v is not None else {}
    draws = u.draws if u is not None else 0
    rows = []
    for d in range(draws if prices else 0):
        x = generator(scenario.seed, PRICES_KEY, d).random(len(prices)).tolist()
        rows += [{"draw": d, "parameter": name, "value": dist.quantile(ui)}
                 for (name, dist), ui in zip(prices.items(), x)]
    return pd.DataFrame(rows, columns=["draw", "parameter", "value"])


def draw_prices(economy: Economy, draws: pd.DataFrame | None) -> dict[int, dict[str, float]]:
    """Each draw's prices: the economy's, with any ``economy.<price>`` in ``draws``
    (the parameter draws' and the valuation's own) in their place."""
    base = {p: float(getattr(economy, p)) for p in PRICED}
    out: dict[int, dict[str, float]] = {}
    if draws is None or not len(draws):
        return out
    for d, g in draws.groupby("draw", sort=True):
        prices = dict(base)
        for name, value in zip(g.parameter, g.value):
            head, _, price = str(name).partition(".")
            if head == "economy" and price in base:
                prices[price] = float(value)
        out[int(d)] = prices
    return out


def priced_costs(results: pd.DataFrame, municipalities: pd.DataFrame | None, teams: pd.DataFrame | None,
                 capacity: pd.DataFrame | None, economy: Economy, years: float,
                 prices: dict[int, dict[str, float]]) -> pd.DataFrame:
    """Money a year per draw, organisation, replication, payer and item (as
    :func:`sim.output.money.payer_costs`), each draw priced with its own ``prices``.
    Money is linear in the prices, so the quantities are counted once at a price of 1."""
    unit = dataclasses.replace(economy, bed_day=1.0, coercive_bed_day_extra=1.0, fte_year_regional=1.0,
                               fte_year_municipal=1.0, discharge_ready_day_payment=1.0)   # PRICED at 1
    costs = money.payer_costs(results, municipalities, teams, capacity, unit, years)
    base = {p: float(getattr(economy, p)) for p in PRICED}
    name = [(_REGION_PRICE if payer == money.REGION else _MUNICIPAL_PRICE)[item]
            for payer, item in zip(costs.payer, costs["item"])]
    draws = costs["draw"] if "draw" in costs.columns else pd.Series(-1, index=costs.index)
    price = [prices.get(int(d), base)[n] for d, n in zip(draws, name)]
    return costs.assign(value=costs["value"].to_numpy(float) * np.asarray(price, float))


# -- net benefit --------------------------------------------------------------------------------

def net_benefit_parts(results: pd.DataFrame, costs: pd.DataFrame, valuation: Valuation,
                      years: float) -> pd.DataFrame:
    """Per draw, organisation and part, per citizen-year and as the mean over the draw's
    replications: each valued outcome (``quantity`` its rate, ``unit_value`` its value,
    ``value`` their product) and each payer's cost (``value``; money a year over the
    citizen-years a year)."""
    from sim.config.params import VALUED_OUTCOMES

    keys = ["draw", "organisation", "replication"]
    wide = results.pivot_table(index=keys, columns="metric", values="value", aggfunc="first")
    per_year = wide["citizen_years"] / years   # citizens served a year, on average
    rows = []
    for outcome, amount in valuation.outcomes.items():
        rate = wide[VALUED_OUTCOMES[outcome]].astype(float)
        rows.append(pd.DataFrame({"kind": "outcome", "part": outcome, "quantity": rate,
                                  "unit_value": float(amount), "value": rate * float(amount)}))
    paid = costs.groupby([*keys, "payer"], sort=False)["value"].sum().unstack("payer")
    for payer in paid.columns:
        value = paid[payer].reindex(wide.index) / per_year
        rows.append(pd.DataFrame({"kind": "cost", "part": payer, "quantity": np.nan, "unit_value": np.nan,
                                  "value": value}))
    long = pd.concat(rows).reset_index()
    out = long.groupby(["draw", "organisation", "kind", "part"], sort=False)[
        ["quantity", "unit_value", "value"]].mean().reset_index()
    return out[["draw", "organisation", "kind", "part", "quantity", "unit_value", "value"]]


def net_benefit(parts: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Per draw and organisation: the valued outcomes and the costs per citizen-year, the
    net benefit (minus both), the net benefit against the baseline in the same draw, and
    whether it is the draw's best."""
    sums = parts.pivot_table(index=["draw", "organisation"], columns="kind", values="value", aggfunc="sum",
                             sort=False).reindex(columns=["outcome", "cost"]).fillna(0.0)
    out = sums.rename(columns={"outcome": "outcomes_value", "cost": "costs"}).reset_index().rename_axis(columns=None)
    out[NET_BENEFIT] = -(out.outcomes_value + out.costs)
    base = out[out.organisation == baseline].set_index("draw")[NET_BENEFIT]
    out["incremental"] = out[NET_BENEFIT] - out["draw"].map(base)
    top = out.groupby("draw")[NET_BENEFIT].transform("max")
    out["best"] = out[NET_BENEFIT] >= top
    return out[["draw", "organisation", "outcomes_value", "costs", NET_BENEFIT, "incremental", "best"]]


def _matrix(table: pd.DataFrame, column: str, organisations: list[str]) -> np.ndarray:
    """Draws x organisations (in ``organisations``' order) of ``column``; draws with a
    missing value dropped."""
    wide = table.pivot(index="draw", columns="organisation", values=column).reindex(columns=organisations)
    return wide.dropna().to_numpy(float)


def _best_shares(values: np.ndarray, highest: bool) -> np.ndarray:
    """Per organisation: the share of rows (draws) in which it is best; a tie shares the row."""
    if values.size == 0:
        return np.full(values.shape[1], np.nan)
    top = values.max(axis=1, keepdims=True) if highest else values.min(axis=1, keepdims=True)
    tied = np.isclose(values, top, rtol=1e-12, atol=1e-9)
    return (tied / tied.sum(axis=1, keepdims=True)).mean(axis=0)


def best_probability(nb: pd.DataFrame, parts: pd.DataFrame) -> pd.DataFrame:
    """Per criterion and organisation: in how many draws it is best and the share of draws.
    Criteria: ``net_benefit`` (highest), ``cost`` (lowest cost to all payers together) and
    each valued outcome (lowest rate)."""
    orgs = list(dict.fromkeys(nb.organisation))
    rows = []

    def add(criterion: str, values: np.ndarray, highest: bool) -> None:
        shares = _best_shares(values, highest)
        for org, share in zip(orgs, shares):
            rows.append({"criterion": criterion, "organisation": org, "best_in": float(share) * len(values),
                         "draws": len(values), "probability": float(share)})

    add(NET_BENEFIT, _matrix(nb, NET_BENEFIT, orgs), True)
    add(COST, _matrix(nb, "costs", orgs), False)
    outcomes = parts[parts.kind == "outcome"]
    for outcome, g in outcomes.groupby("part", sort=False):
        add(str(outcome), _matrix(g, "quantity", orgs), False)
    return pd.DataFrame(rows, columns=["criterion", "organisation", "best_in", "draws", "probability"])


def acceptability(nb: pd.DataFrame, parts: pd.DataFrame, valuation: Valuation) -> pd.DataFrame:
    """The acceptability curve: for each value of one unit of the axis' outcome avoided,
    each organisation's probability of the highest net benefit and its mean net benefit
    (the other valuations as they are)."""
    axis = valuation.acceptability
    orgs = list(dict.fromkeys(nb.organisation))
    rate = _matrix(parts[(parts.kind == "outcome") & (parts.part == axis.outcome)], "quantity", orgs)
    shipped = _matrix(nb, NET_BENEFIT, orgs)
    amount = valuation.outcomes[axis.outcome]
    rows = []
    for x in np.linspace(axis.low, axis.high, axis.steps):
        values = shipped - (x - amount) * rate
        for org, share, mean in zip(orgs, _best_shares(values, True), values.mean(axis=0)):
            rows.append({"outcome": axis.outcome, "value": float(x), "organisation": org,
                         "probability": float(share), NET_BENEFIT: float(mean)})
    return pd.DataFrame(rows, columns=["outcome", "value", "organisation", "probability", NET_BENEFIT])


# -- the value of information -------------------------------------------------------------------

def evpi(nb: np.ndarray) -> float:
    """The expected value of perfect information of a draws x organisations table of net
    benefit: the mean over draws of the best organisation's net benefit, less the net
    benefit of the organisation best on average (0 when one is best in every draw)."""
    if nb.size == 0:
        return float("nan")
    return _regret(nb)


def _regret(nb: np.ndarray) -> float:
    """``E[max_o NB] - max_o E[NB]``, written as the mean over draws of what the best
    organisation of each draw gains over the one best on average: never negative, and
    exactly 0 when that one is best in every draw (no rounding of two sums)."""
    chosen = int(np.argmax(nb.mean(axis=0)))
    return float((nb.max(axis=1) - nb[:, chosen]).mean())


@dataclass(frozen=True)
class Fit:
    """A regression's fitted values at the draws and its leave-one-out R²."""
    fitted: np.ndarray
    loo_r_squared: float


def regression(y: np.ndarray, x: np.ndarray, seed: int) -> Fit:
    """The Gaussian process regression of ``y`` on the columns of ``x`` (standardised; a
    column that never varies is left out): its posterior mean at the draws and the
    leave-one-out R² (Rasmussen and Williams 2006, eq. 5.12: the residual of draw i left
    out is ``[K^-1 y]_i / [K^-1]_ii`` under the fitted kernel)."""
    from scipy.linalg import cho_solve
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
    from threadpoolctl import threadpool_limits

    y = np.asarray(y, float)
    spread = x.std(axis=0)
    keep = spread > 1e-12 * np.maximum(1.0, np.abs(x).max(axis=0))
    if not keep.any() or np.ptp(y) == 0:   # nothing that varies to learn from
        return Fit(np.full_like(y, y.mean()), float("nan"))
    z = (x[:, keep] - x[:, keep].mean(axis=0)) / spread[keep]
    centre, scale = float(y.mean()), float(y.std())
    target = (y - centre) / scale
    kernel = (ConstantKernel(1.0, (1e-3, 1e3)) * RBF(np.ones(z.shape[1]), (1e-2, 1e3))
              + WhiteKernel(0.1, (1e-6, 1e1)))
    gp = GaussianProcessRegressor(kernel, n_restarts_optimizer=2, random_state=seed)
    # one thread: a few hundred draws at most, where threads only fight over the cores
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore")   # a length scale at its bound: the parameter does not matter
        gp.fit(z, target)
    fitted = centre + scale * np.asarray(gp.predict(z), float)
    k_inv = cho_solve((gp.L_, True), np.eye(len(y)))
    left_out = np.asarray(gp.alpha_, float).ravel() / np.diag(k_inv)   # in the standardised units
    r2 = 1.0 - float((left_out ** 2).sum()) / float((target ** 2).sum())
    return Fit(fitted, r2)


def evppi(nb: np.ndarray, x: np.ndarray, seed: int) -> tuple[float, float]:
    """The partial EVPI of the parameters in the columns of ``x`` (draws x parameters)
    for a draws x organisations table of net benefit (the first column the baseline), by
    the regression method: each organisation's net benefit against the baseline is
    regressed on ``x``, and the EVPI formula is applied to the fitted values. Kept in
    [0, EVPI] (a regression's error can step outside). Returns (EVPPI, the lowest
    leave-one-out R² of the organisations' regressions)."""
    total = evpi(nb)
    if nb.shape[0] < MIN_DRAWS or np.isnan(total):
        return float("nan"), float("nan")
    if total == 0.0 or x.shape[1] == 0:
        return 0.0, float("nan")
    incremental = nb - nb[:, [0]]
    fitted = np.zeros_like(incremental)
    r2 = []
    for o in range(1, nb.shape[1]):
        fit = regression(incremental[:, o], x, seed)
        fitted[:, o] = fit.fitted
        if not np.isnan(fit.loo_r_squared):
            r2.append(fit.loo_r_squared)
    value = _regret(fitted)
    return min(max(value, 0.0), total), (min(r2) if r2 else float("nan"))


def _regression_seed(seed: int, key: int) -> int:
    """A regression's optimiser seed, from ``SeedSequence(seed)`` (sklearn takes an int)."""
    return int(np.random.SeedSequence(seed, spawn_key=(REGRESSION_KEY, key)).generate_state(1)[0])


def value_of_information(nb: pd.DataFrame, parameters: pd.DataFrame, valuation: Valuation, baseline: str,
                         seed: int) -> pd.DataFrame:
    """EVPI, and EVPPI of every parameter drawn together, of each group of
    ``valuation.groups`` and of each parameter drawn on its own: per citizen-year and for
    the region over the horizon, with the regression's fit and whether it is reliable.
    ``parameters``: one row per draw and parameter (``draw``, ``parameter``, ``value``)."""
    orgs = [baseline, *[o for o in dict.fromkeys(nb.organisation) if o != baseline]]
    wide = nb.pivot(index="draw", columns="organisation", values=NET_BENEFIT).reindex(columns=orgs).dropna()
    values = (parameters.pivot_table(index="draw", columns="parameter", values="value", aggfunc="first")
              .reindex(wide.index) if len(parameters) else pd.DataFrame(index=wide.index))
    drawn = [c for c in values.columns if values[c].nunique() > 1]
    matrix = wide.to_numpy(float)
    total = evpi(matrix)
    rows = [{"kind": "evpi", "name": "evpi", "parameters": " ".join(drawn), "value": total, "loo_r_squared": np.nan,
             "reliable": len(matrix) >= RELIABLE_DRAWS or total == 0.0}]
    asked = [("all", "all", drawn)]
    asked += [("group", g, [p for p in names if p in drawn]) for g, names in valuation.groups.items()]
    asked += [("parameter", p, [p]) for p in drawn]
    for i, (kind, name, names) in enumerate(asked):
        value, r2 = evppi(matrix, values[names].to_numpy(float), _regression_seed(seed, i))
        reliable = value == 0.0 and total == 0.0 or (len(matrix) >= RELIABLE_DRAWS and not np.isnan(r2)
                                                       and r2 >= RELIABLE_R2)
        rows.append({"kind": kind, "name": name, "parameters": " ".join(names), "value": value, "loo_r_squared": r2,
                     "reliable": bool(reliable)})
    out = pd.DataFrame(rows)
    out["value_region"] = out["value"] * valuation.population_years
    out["draws"] = len(matrix)
    return out[["kind", "name", "parameters", "draws", "value", "value_region", "loo_r_squared", "reliable"]]


def value_tables(scenario: Scenario, results: pd.DataFrame, municipalities: pd.DataFrame | None,
                 teams: pd.DataFrame | None, capacity: pd.DataFrame | None,
                 draws: pd.DataFrame | None, years: float) -> dict[str, pd.DataFrame]:
    """Every table of this module for a run with parameter draws, a baseline, an economy
    and a valuation (none otherwise): ``price_draws`` (if the valuation draws prices),
    ``net_benefit_parts``, ``net_benefit``, ``best_probability``, ``acceptability`` and
    ``value_of_information``."""
    v, e, base = scenario.valuation, scenario.economy, scenario.baseline
    if v is None or e is None or base is None or "draw" not in results.columns:
        return {}
    prices = price_draws(scenario)
    known = pd.concat([t for t in (draws, prices) if t is not None and len(t)]
                      or [pd.DataFrame(columns=["draw", "parameter", "value"])], ignore_index=True)
    costs = priced_costs(results, municipalities, teams, capacity, e, years, draw_prices(e, known))
    parts = net_benefit_parts(results, costs, v, years)
    nb = net_benefit(parts, base.name)
    out = {"price_draws": prices} if len(prices) else {}
    out.update({"net_benefit_parts": parts, "net_benefit": nb, "best_probability": best_probability(nb, parts),
                "acceptability": acceptability(nb, parts, v),
                "value_of_information": value_of_information(nb, known, v, base.name, scenario.seed)})
    return out
