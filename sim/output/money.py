"""Money by payer: what each organisation costs the region and each municipality a year.

Priced from the run's own tables with the run's ``economy`` (``scenarios/economy/*.yaml``),
never from the model's internals, and from what is *paid*, never from hours used:

- the **region** pays the bed days (and extra for a coercive bed day) and its staff, as
  full-time equivalents (FTE) paid a year;
- **each municipality** pays its own staff (a team covering several municipalities is
  paid by them in proportion to their citizens in it) and, for every day a citizen of
  theirs ready for discharge waits in a bed, a payment to the region. That payment is a
  flow between payers: it is a cost to the municipality and an income to the region, so
  the payers' totals add up to the total cost (the bed days, coercion and staff).

Each replication (and parameter draw) is priced on its own, so the payers' changes carry
the same intervals as the key figures: paired over replications, or over the parameter
draws when the run has them.
"""
from __future__ import annotations

import pandas as pd

from sim.config.params import Economy
from sim.experiments.results import compare, summarise
from sim.experiments.uncertainty import draw_changes, pooled_over_draws, summarise_draws

REGION = "region"
TOTAL = "total"
# what is priced, in the order a table lists it
ITEMS = ("bed_days", "coercion", "staff", "discharge_ready")


def payer_costs(results: pd.DataFrame, municipalities: pd.DataFrame | None, teams: pd.DataFrame | None,
                capacity: pd.DataFrame | None, economy: Economy, years: float) -> pd.DataFrame:
    """Money a year per (draw,) organisation, replication, payer and item: ``value`` in the
    economy's currency (negative: an income, such as the payments a region receives)."""
    keys = [k for k in ("draw", "organisation", "replication") if k in results.columns]
    wide = results.pivot_table(index=keys, columns="metric", values="value", aggfunc="first")
    by_muni = _grouped(municipalities, keys)
    by_team = _grouped(teams, keys)
    rows: list[dict] = []
    for key, r in wide.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        named = dict(zip(keys, key))
        region = {"bed_days": r.get("bed_days", 0.0) * economy.bed_day / years,
                  "coercion": r.get("coercive_bed_days", 0.0) * economy.coercive_bed_day_extra / years,
                  "staff": r.get("staff_fte_regional", 0.0) * economy.fte_year_regional,
                  "discharge_ready": -r.get("bed_blocking_days", 0.0) * economy.discharge_ready_day_payment / years}
        rows += [{**named, "payer": REGION, "item": item, "value": float(v)} for item, v in region.items()]
        covers = {}
        if capacity is not None and len(capacity):
            cap = capacity[capacity.organisation == named.get("organisation")]
            covers = {t: str(c).split() for t, c in zip(cap.team, cap.covers)}
        municipal = _municipal(r, by_muni.get(key), by_team.get(key), covers, economy, years)
        for muni, items in municipal.items():
            rows += [{**named, "payer": muni, "item": item, "value": float(v)} for item, v in items.items()]
    return pd.DataFrame(rows, columns=[*keys, "payer", "item", "value"])


def _grouped(table: pd.DataFrame | None, keys: list[str]) -> dict[tuple, pd.DataFrame]:
    """A table's rows per (draw,) organisation and replication."""
    if table is None or not len(table) or not set(keys) <= set(table.columns):
        return {}
    return {k if isinstance(k, tuple) else (k,): g for k, g in table.groupby(keys, sort=False)}


def _municipal(r: pd.Series, munis: pd.DataFrame | None, teams: pd.DataFrame | None, covers: dict[str, list[str]],
               economy: Economy, years: float) -> dict[str, dict[str, float]]:
    """Each municipality's staff and payments for days ready for discharge in one replication."""
    if munis is None or not len(munis):   # no table per municipality: the municipalities as one payer
        return {"municipalities": {"staff": r.get("staff_fte_municipal", 0.0) * economy.fte_year_municipal,
                                   "discharge_ready": r.get("bed_blocking_days", 0.0)
                                   * economy.discharge_ready_day_payment / years}}
    citizens = munis[munis.metric == "citizen_years"].set_index("municipality")["value"].astype(float)
    blocking = munis[munis.metric == "bed_blocking_days"].set_index("municipality")["value"].astype(float)
    names = list(citizens.index)
    out = {m: {"staff": 0.0, "discharge_ready": float(blocking.get(m, 0.0)) * economy.discharge_ready_day_payment
                                                  / years} for m in names}
    paid = 0.0
    if teams is not None and len(teams):
        fte = teams[teams.metric == "staff_fte_municipal"].groupby("team")["value"].sum()
        for team, value in fte.items():
            served = [m for m in covers.get(str(team), []) if m in out] or names
            weights = citizens.reindex(served).fillna(0.0)
            weights = weights / weights.sum() if weights.sum() > 0 else pd.Series(1.0 / len(served), index=served)
            for m, w in weights.items():
                out[m]["staff"] += float(value) * float(w) * economy.fte_year_municipal
            paid += float(value)
    missing = float(r.get("staff_fte_municipal", 0.0)) - paid   # staff no team table names: by citizens
    if abs(missing) > 1e-9 and citizens.sum() > 0:
        for m in names:
            out[m]["staff"] += missing * float(citizens[m] / citizens.sum()) * economy.fte_year_municipal
    return out


def as_results(costs: pd.DataFrame) -> pd.DataFrame:
    """The payers' totals a year (and the total over payers) as a results table: one
    ``metric`` per payer (``region``, each municipality, ``total``), so the run's own
    summaries and comparisons apply to money as to any outcome."""
    keys = [k for k in ("draw", "organisation", "replication") if k in costs.columns]
    by_payer = costs.groupby([*keys, "payer"], sort=False)["value"].sum().reset_index()
    total = costs.groupby(keys, sort=False)["value"].sum().reset_index().assign(payer=TOTAL)
    out = pd.concat([by_payer, total], ignore_index=True).rename(columns={"payer": "metric"})
    return out[[*keys, "metric", "value"]]


def payer_tables(costs: pd.DataFrame, baseline: str | None, replications: int) -> dict[str, pd.DataFrame]:
    """``payer_summary`` (each organisation's cost a year per payer, mean and 95 % interval)
    and, against a baseline, ``payer_comparison``: the difference a year per payer with
    the interval the key figures have (over parameter draws when the run has them)."""

    per_payer = as_results(costs)
    pooled = pooled_over_draws(per_payer, replications)
    out = {"payer_summary": summarise(pooled).rename(columns={"metric": "payer"})}
    if baseline is None:
        return out
    if "draw" in per_payer.columns:
        over = summarise_draws(draw_changes(per_payer, baseline))
        paired = compare(pooled, baseline)[["organisation", "metric", "baseline_mean", "organisation_mean"]]
        table = over.merge(paired, on=["organisation", "metric"], how="left").rename(columns={
            "difference_lower": "difference_ci_lower", "difference_upper": "difference_ci_upper"})
        table = table.assign(baseline=baseline, covers="draws")
    else:
        table = compare(pooled, baseline).assign(covers="noise")
    keep = ["organisation", "baseline", "metric", "baseline_mean", "organisation_mean", "difference",
            "difference_ci_lower", "difference_ci_upper", "covers"]
    out["payer_comparison"] = table[keep].rename(columns={"metric": "payer"}).reset_index(drop=True)
    return out
