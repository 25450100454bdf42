"""A roll-out's projection by calendar year, and its summary against no roll-out.

Each replication runs the same citizens twice (common random numbers): the plan (the
organisation's sites start on their dates, :mod:`sim.model.rollout`) and no roll-out
(the baseline all along). For each arm, calendar year and area (the region and each
cluster), :func:`project` counts from the model's own event log and staff log:

- admissions and coercive admissions begun in the year; bed days, coercive bed days and
  bed days of citizens ready for discharge (their stays' overlap with the year);
- people waiting for a bed (the mean number over the year);
- citizen-years; FTE paid by sector (the mean over the year; a team covering several
  municipalities counts in each area by its share of their target group);
- money by payer: the region pays its beds, its coercion and its staff and receives the
  municipalities' payments for days ready for discharge; the municipalities pay their staff
  and those payments (the ``economy``'s prices, as in :mod:`sim.output.money`).

:func:`summarise_projection` gives per year, area and metric the plan's and no roll-out's
means and their difference, with the interval over parameter draws (2.5-97.5 % of the
draws' mean differences) or, without draws, the paired 95 % t-interval over replications.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config.params import CarePlan, Economy, Scenario
from sim.config.units import DAYS_PER_YEAR
from sim.experiments.results import interval

REGION = "region"
PLAN, NO_ROLLOUT = "plan", "no_rollout"
# what the projection counts per year and area, in the order its tables list them
MEASURES = ("admissions", "coercive_admissions", "bed_days", "coercive_bed_days", "bed_blocking_days",
            "waiting_for_bed", "citizen_years", "staff_fte_regional", "staff_fte_municipal",
            "cost_region", "cost_municipalities", "cost_total")
# the figures a fan chart and the report show first
KEY_MEASURES = ("bed_days", "coercive_admissions", "staff_fte_total", "cost_total")


def areas_of(scenario: Scenario) -> dict[str, str]:
    """Municipality -> its cluster (the population's; the municipality itself without clusters)."""
    return {m: (spec.cluster or m) for m, spec in scenario.population.municipalities.items()}


def _stays(citizen: np.ndarray, time: np.ndarray, event: np.ndarray) -> dict[str, np.ndarray]:
    """One row per stay from the log: citizen, admitted, coercive, ready (or inf), discharged (or inf),
    and when the citizen began to wait for that bed (or the admission itself)."""
    order = np.lexsort((time, citizen))
    rows: list[list] = []
    current: dict[int, list] = {}
    waiting: dict[int, float] = {}
    for cid, t, e in zip(citizen[order].tolist(), time[order].tolist(), event[order].tolist()):
        if e == "bed_wait":
            waiting[cid] = t
        elif e in ("admission", "coercive_admission"):
            row = [cid, t, e == "coercive_admission", np.inf, np.inf, waiting.pop(cid, t)]
            rows.append(row)
            current[cid] = row
        elif e in ("ready_for_discharge", "discharge"):
            stay = current.get(cid)
            if stay is None:
                continue
            if e == "discharge" and stay[4] == np.inf:
                stay[4] = t
            elif e == "ready_for_discharge" and stay[3] == np.inf:
                stay[3] = t
    cols: list = list(zip(*rows)) if rows else [[]] * 6
    out = {k: np.array(v, dtype=float) for k, v in zip(("citizen", "admitted", "coercive", "ready",
                                                        "discharged", "waited"), cols)}
    out["coercive"] = out["coercive"].astype(bool)
    out["citizen"] = out["citizen"].astype(np.int64)
    return out


def _overlap(t0: np.ndarray, t1: np.ndarray, a: float, b: float) -> np.ndarray:
    return (np.minimum(t1, b) - np.maximum(t0, a)).clip(min=0.0)


def project(scenario: Scenario, events: pd.DataFrame, citizens: pd.DataFrame, staffing: pd.DataFrame,
            end: float) -> pd.DataFrame:
    """One arm of one replication by calendar year and area: columns year, area, metric, value.

    ``events``: the model's log (citizen, time, event); ``citizens``: citizen, municipality,
    entered, exit_time; ``staffing``: day, team, fte_regional, fte_municipal, covers (from
    :func:`staffing_of` or a roll-out's own log); ``end``: the run's last day."""
    rollout, economy = scenario.rollout, scenario.economy
    assert rollout is not None   # a projection belongs to a roll-out's run
    area_of = areas_of(scenario)
    areas = [REGION, *dict.fromkeys(area_of.values())]
    municipality = dict(zip(citizens.citizen.tolist(), citizens.municipality.tolist()))
    st = _stays(events.citizen.to_numpy(np.int64), events.time.to_numpy(float), events.event.to_numpy(object))
    stay_area = np.array([area_of[municipality[c]] for c in st["citizen"].tolist()], dtype=object)
    cit_area = citizens.municipality.map(area_of).to_numpy(object)
    entered, left = citizens.entered.to_numpy(float), np.minimum(citizens.exit_time.to_numpy(float), end)
    fte = fte_by_year(scenario, staffing)
    coercive_until = np.where(st["coercive"], np.minimum(st["ready"], st["discharged"]), st["admitted"])
    rows = []
    warmup = scenario.warmup_years * DAYS_PER_YEAR
    for year, a, b in rollout.year_bounds(warmup):
        days = b - a
        admitted_in = (st["admitted"] >= a) & (st["admitted"] < b)
        per_stay = {"admissions": admitted_in.astype(float),
                    "coercive_admissions": (admitted_in & st["coercive"]).astype(float),
                    "bed_days": _overlap(st["admitted"], st["discharged"], a, b),
                    "coercive_bed_days": _overlap(st["admitted"], coercive_until, a, b),
                    "bed_blocking_days": _overlap(st["ready"], st["discharged"], a, b),
                    "waiting_for_bed": _overlap(st["waited"], st["admitted"], a, b) / days}
        alive = _overlap(entered, left, a, b) / DAYS_PER_YEAR
        staff = fte.get(year, {})
        for area in areas:
            in_area = np.ones(len(stay_area), bool) if area == REGION else stay_area == area
            values = {k: float(v[in_area].sum()) for k, v in per_stay.items()}
            values["citizen_years"] = float(alive.sum() if area == REGION else alive[cit_area == area].sum())
            reg, mun = staff.get(area, (0.0, 0.0)) if area != REGION else (
                sum(v[0] for v in staff.values()), sum(v[1] for v in staff.values()))
            values["staff_fte_regional"], values["staff_fte_municipal"] = reg, mun
            values.update(_money(values, economy, days))
            rows += [(year, area, k, values[k]) for k in MEASURES]
    return pd.DataFrame(rows, columns=["year", "area", "metric", "value"])


def _money(v: dict[str, float], economy: Economy | None, days: float) -> dict[str, float]:
    """The year's money by payer (NaN without an economy)."""
    if economy is None:
        return {"cost_region": np.nan, "cost_municipalities": np.nan, "cost_total": np.nan}
    part = days / DAYS_PER_YEAR   # FTE are a year's mean; a leap year pays 366/365 of a year
    payment = v["bed_blocking_days"] * economy.discharge_ready_day_payment
    region = (v["bed_days"] * economy.bed_day + v["coercive_bed_days"] * economy.coercive_bed_day_extra
              + v["staff_fte_regional"] * economy.fte_year_regional * part - payment)
    municipalities = v["staff_fte_municipal"] * economy.fte_year_municipal * part + payment
    return {"cost_region": region, "cost_municipalities": municipalities, "cost_total": region + municipalities}


def staffing_of(teams: pd.DataFrame, plan: CarePlan) -> pd.DataFrame:
    """A staff log for a run whose staff never change (no roll-out): each team's FTE from day 0."""
    wide = teams.pivot_table(index="team", columns="metric", values="value", aggfunc="first")
    covers = {t.name: " ".join(t.covers) for t in plan.teams}
    return pd.DataFrame([(0.0, name, float(wide.at[name, "staff_fte_regional"]),
                          float(wide.at[name, "staff_fte_municipal"]), covers[name])
                         for name in wide.index if name in covers],
                        columns=["day", "team", "fte_regional", "fte_municipal", "covers"])


def fte_by_year(scenario: Scenario, staffing: pd.DataFrame) -> dict[int, dict[str, tuple[float, float]]]:
    """Year -> area -> (regional, municipal) mean FTE paid over the year; each team's staff
    split over the areas it covers by their expected target group."""
    rollout = scenario.rollout
    assert rollout is not None
    area_of = areas_of(scenario)
    target = {m: spec.target_group for m, spec in scenario.population.municipalities.items()}
    warmup = scenario.warmup_years * DAYS_PER_YEAR
    bounds = rollout.year_bounds(warmup)
    out: dict[int, dict[str, list[float]]] = {y: {} for y, _, _ in bounds}
    for _team, log in staffing.sort_values("day", kind="stable").groupby("team", sort=False):
        days = log.day.to_numpy(float)
        until = np.append(days[1:], np.inf)
        weights: dict[str, float] = {}
        covers = str(log.covers.iloc[0]).split()
        total = sum(target[m] for m in covers)
        for m in covers:
            share = target[m] / total if total > 0 else 1.0 / len(covers)
            weights[area_of[m]] = weights.get(area_of[m], 0.0) + share
        for year, a, b in bounds:
            span = _overlap(days, until, a, b) / (b - a)
            reg = float((log.fte_regional.to_numpy(float) * span).sum())
            mun = float((log.fte_municipal.to_numpy(float) * span).sum())
            for area, w in weights.items():
                cell = out[year].setdefault(area, [0.0, 0.0])
                cell[0] += reg * w
                cell[1] += mun * w
    return {y: {a: (v[0], v[1]) for a, v in areas.items()} for y, areas in out.items()}


def summarise_projection(projection: pd.DataFrame, replications: int) -> pd.DataFrame:
    """Per year, area and metric: each arm's mean and the plan's difference from no roll-out,
    with its interval (``covers``: ``draws`` or ``replications``)."""
    data = projection.copy()
    extra = data[data.metric.isin(["staff_fte_regional", "staff_fte_municipal"])]
    keys = [k for k in ("draw", "replication", "arm", "year", "area") if k in data.columns]
    total = extra.groupby(keys, sort=False)["value"].sum().reset_index().assign(metric="staff_fte_total")
    data = pd.concat([data, total], ignore_index=True)
    wide = data.pivot_table(index=[k for k in keys if k != "arm"] + ["metric"], columns="arm",
                            values="value", aggfunc="first").reset_index()
    wide["difference"] = wide[PLAN] - wide[NO_ROLLOUT]
    rows = []
    by_draw = "draw" in wide.columns
    for (year, area, metric), g in wide.groupby(["year", "area", "metric"], sort=True):
        row = {"year": int(year), "area": area, "metric": metric,
               "plan_mean": float(g[PLAN].mean()), "no_rollout_mean": float(g[NO_ROLLOUT].mean())}
        if by_draw:
            d = g.groupby("draw")["difference"].mean().to_numpy(float)
            mean = float(d.mean())
            lo, hi = (float(v) for v in np.percentile(d, [2.5, 97.5]))
            row.update(difference=mean, difference_lower=lo, difference_upper=hi, covers="draws", n=len(d))
        else:
            mean, lo, hi, n = interval(g["difference"].to_numpy(float))
            row.update(difference=mean, difference_lower=lo, difference_upper=hi, covers="replications", n=n)
        base = row["no_rollout_mean"]
        row["change_pct"] = 100.0 * row["difference"] / base if base else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


FOLLOW_UP_YEARS = (2, 4)   # the evaluation designs' follow-up: the institute's and a longer one
SITE_COUNTS = (3, 5)       # the stepped wedge also on subsets of this many sites: its power by clusters
SITE_SUBSETS = 5           # of each size, at most this many subsets (the same in every replication)


def sites_of(scenario: Scenario) -> pd.DataFrame:
    """Each municipality's roll-out site and its start (a day of the run; inf for a site the
    plan does not start): columns municipality, site, start."""
    rollout = scenario.rollout
    assert rollout is not None
    plan = scenario.care_plan(scenario.organisation)
    starts = rollout.start_days(scenario.warmup_years * DAYS_PER_YEAR)
    return pd.DataFrame([(m, site, starts.get(site, np.inf)) for site, covers in plan.sites.items() for m in covers],
                        columns=["municipality", "site", "start"])


def evaluate_designs(scenario: Scenario, citizens: pd.DataFrame, plan_events: pd.DataFrame,
                     counterfactual_events: pd.DataFrame) -> pd.DataFrame:
    """Every evaluation design on one replication of the roll-out (see
    :mod:`sim.experiments.evaluation`): its estimate, the true effect and its test."""
    from sim.experiments.evaluation import design_rows

    with_site = citizens.merge(sites_of(scenario), on="municipality", how="left")
    return design_rows(with_site, plan_events, counterfactual_events, scenario.window[1],
                       follow_up_years=FOLLOW_UP_YEARS, site_counts=SITE_COUNTS, subsets=SITE_SUBSETS)


def summarise_designs(rows: pd.DataFrame) -> pd.DataFrame:
    """The designs' rows over replications (and draws): bias, spread and power (see
    :func:`sim.experiments.evaluation.summarise_designs`)."""
    from sim.experiments.evaluation import summarise_designs as summarise

    return summarise(rows)
