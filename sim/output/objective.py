"""A run's objective and constraints (``objective=...``), from its own tables.

Every replication (and parameter draw) gives one value of the objective: the weighted
sum of its terms, each the organisation's value or its paired change against the
baseline organisation on the same replication (common random numbers); and one value of
each constraint's metric. A point's result is the mean with its 95 % interval: Student t
over the replications (``covers: noise``), or with parameter draws the mean over the
draws and the interval holding 95 % of the draws' means (``covers: draws``). A constraint
holds when its mean is within the bound. An optimising sweep (:mod:`sim.apps.optimise`)
reads these tables from every trial's folder.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.config.params import Objective, Scenario
from sim.config.units import DAYS_PER_YEAR
from sim.experiments.results import interval

OBJECTIVE = "objective"   # the objective's name in the tables (the constraints keep their own)
VALUE_COLUMNS = ("replication", "name", "kind", "value")
SUMMARY_COLUMNS = ("name", "kind", "metric", "of", "sense", "bound", "n", "mean", "ci_lower", "ci_upper",
                   "covers", "violation", "satisfied")


def metric_values(scenario: Scenario, results: pd.DataFrame, teams: pd.DataFrame | None,
                  capacity: pd.DataFrame | None, payer_costs: pd.DataFrame | None,
                  metrics: set[str]) -> pd.DataFrame:
    """Wide table: one row per (draw,) organisation and replication, one column per
    metric of ``metrics`` (results metrics and the derived ones of
    :func:`sim.config.params.objective_metrics`)."""
    keys = [k for k in ("draw", "organisation", "replication") if k in results.columns]
    wide = results.pivot_table(index=keys, columns="metric", values="value", aggfunc="first")
    start, end = scenario.window
    years, weeks = (end - start) / DAYS_PER_YEAR, (end - start) / 7.0
    out = pd.DataFrame(index=wide.index)
    for metric in sorted(metrics):
        if metric in wide.columns:
            out[metric] = wide[metric].astype(float)
        elif metric == "contacts_lost_routine_share":
            asked = wide["contacts_asked_routine"].astype(float)
            out[metric] = (wide["contacts_lost_routine"].astype(float) / asked).where(asked > 0, 0.0)
        elif metric == "driving_hours_per_week":
            out[metric] = wide["driving_hours"].astype(float) / weeks
        elif metric.startswith("cost_per_citizen_year."):
            out[metric] = _cost(payer_costs, keys, metric.partition(".")[2], years) / wide["citizen_years"]
        elif metric.startswith("team_max."):
            out[metric] = _team_max(teams, keys, metric.partition(".")[2]).reindex(out.index)
        elif metric.startswith("capacity_max."):
            name = metric.partition(".")[2]
            if capacity is None or not len(capacity):
                out[metric] = np.nan
                continue
            col = "driving_hours_per_week" if name == "driving_hours_per_week" else name
            highest = capacity.groupby("organisation")[col].max()
            orgs = out.index.get_level_values("organisation")
            out[metric] = highest.reindex(orgs).to_numpy(dtype=float)
        else:   # a cost metric of a run without unit costs: validation says which
            out[metric] = np.nan
    return out


def _cost(costs: pd.DataFrame | None, keys: list[str], payer: str, years: float) -> pd.Series:
    """Money a year of ``payer`` (region, municipalities together, total) per (draw,) organisation
    and replication, times the years of results (divided by citizen-years by the caller)."""
    if costs is None or not len(costs):
        raise ValueError("an objective on cost needs the run's economy (economy=dkk)")
    if payer == "region":
        part = costs[costs.payer == "region"]
    elif payer == "municipalities":
        part = costs[costs.payer != "region"]
    else:
        part = costs
    return part.groupby(keys)["value"].sum() * years


def _team_max(teams: pd.DataFrame | None, keys: list[str], metric: str) -> pd.Series:
    """The highest value of a team metric over each organisation's own teams."""
    if teams is None or not len(teams):
        return pd.Series(dtype=float)
    rows = teams[teams.metric == metric]
    return rows.groupby(keys)["value"].max().astype(float)


def values(scenario: Scenario, wide: pd.DataFrame) -> pd.DataFrame:
    """Every replication's (and draw's) objective and constraint values (tidy)."""
    objective = scenario.objective
    assert objective is not None
    org = scenario.organisation.name
    base = scenario.baseline.name if scenario.baseline is not None else None
    level = wide.xs(org, level="organisation")
    change = level - wide.xs(base, level="organisation") if base is not None else None
    frames = []
    total = sum(term.weight * _side(level, change, objective.of)[term.metric] for term in objective.terms.values())
    frames.append(_tidy(total, OBJECTIVE, "objective"))
    for name, c in (objective.constraints or {}).items():
        frames.append(_tidy(_side(level, change, c.of)[c.metric], name, "constraint"))
    return pd.concat(frames, ignore_index=True)


def _side(level: pd.DataFrame, change: pd.DataFrame | None, of: str) -> pd.DataFrame:
    if of == "change":
        assert change is not None   # validation: a change needs a baseline
        return change
    return level


def _tidy(series: pd.Series, name: str, kind: str) -> pd.DataFrame:
    frame = series.rename("value").reset_index()
    frame["name"], frame["kind"] = name, kind
    lead = [c for c in ("draw", "replication") if c in frame.columns]
    return frame[[*lead, "name", "kind", "value"]]


def summary(objective: Objective, table: pd.DataFrame) -> pd.DataFrame:
    """Per objective and constraint: mean and 95 % interval (over the replications, or over
    the draws' means), the bound and whether it holds."""
    rows = []
    for (name, kind), group in table.groupby(["name", "kind"], sort=False):
        mean, lower, upper, n, covers = spread(group)
        if kind == "objective":
            metric = " + ".join(f"{t.weight:g} x {t.metric}" for t in objective.terms.values())
            rows.append({"name": name, "kind": kind, "metric": metric, "of": objective.of,
                         "sense": objective.direction, "bound": math.nan, "n": n, "mean": mean,
                         "ci_lower": lower, "ci_upper": upper, "covers": covers, "violation": math.nan,
                         "satisfied": not math.isnan(mean)})
            continue
        c = (objective.constraints or {})[name]
        violation = c.violation(mean)
        rows.append({"name": name, "kind": kind, "metric": c.metric, "of": c.of,
                     "sense": "at_most" if c.at_most is not None else "at_least", "bound": c.bound, "n": n,
                     "mean": mean, "ci_lower": lower, "ci_upper": upper, "covers": covers,
                     "violation": violation, "satisfied": bool(violation <= 0)})
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def spread(group: pd.DataFrame) -> tuple[float, float, float, int, str]:
    """Mean, 95 % interval, n and what the interval covers, of one name's values."""
    if "draw" in group.columns:
        means = group.groupby("draw")["value"].mean().to_numpy(dtype=float)
        means = means[~np.isnan(means)]
        if not len(means):
            return math.nan, math.nan, math.nan, 0, "draws"
        lower, upper = np.quantile(means, [0.025, 0.975]) if len(means) > 1 else (math.nan, math.nan)
        return float(means.mean()), float(lower), float(upper), len(means), "draws"
    mean, lower, upper, n = interval(group["value"].to_numpy(dtype=float))
    return mean, lower, upper, int(n), "noise"


def evaluate(scenario: Scenario, results: pd.DataFrame, teams: pd.DataFrame | None,
             capacity: pd.DataFrame | None, payer_costs: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """``objective_values`` (every replication) and ``objective`` (the summary) of a run."""
    objective = scenario.objective
    assert objective is not None
    names = {t.metric for t in objective.terms.values()} | {c.metric for c in (objective.constraints or {}).values()}
    wide = metric_values(scenario, results, teams, capacity, payer_costs, names)
    table = values(scenario, wide)
    return {"objective_values": table, "objective": summary(objective, table)}
