"""Parameter uncertainty in every comparison (probabilistic sensitivity analysis).

The plain run's intervals cover the simulation's own noise: every parameter is held at
its value. Here ``uncertainty.draws`` parameter sets are drawn from the distributions
in ``uncertainty/*.yaml``; each draw runs every organisation with the run's
replications. Organisations within a draw share their random numbers (common random
numbers), and so do draws (draw d, replication r uses the seed of replication r), so
differences between draws come from the parameters, not from luck.

For each organisation against the baseline and each metric, a draw's change is the
ratio of means over its replications (``100 x (mean_org / mean_base - 1)``). Across
draws: the mean, the 2.5 and 97.5 percentiles (the total interval: parameter
uncertainty and simulation noise), and the Monte Carlo share of the variance (the
mean over draws of the variance of the draw's change estimate, by the delta method
over replications, divided by the variance across draws). Decision probabilities are
shares of draws: bed days fall at all, by at least ``reduction_pct``; staff hours rise;
coercive admissions fall.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config.dotted import replaced
from sim.config.params import Scenario
from sim.experiments.results import ratio_change
from sim.model.streams import generator

# the spawn key of parameter draws: no replication ever has this index
DRAWS_KEY = 2**32 - 1


def draw_values(scenario: Scenario, draw: int) -> dict[str, float]:
    """The parameter values of one draw, by inverse transform from one uniform each
    (in the order the YAML lists them), from a stream of its own; with a posterior, one
    more uniform picks a whole particle by its weight (the last, so the other
    parameters draw the same numbers with or without a posterior)."""
    spec = scenario.uncertainty
    if spec is None:
        return {}
    parameters = spec.parameters or {}
    u = generator(scenario.seed, DRAWS_KEY, draw).random(len(parameters) + (spec.posterior is not None)).tolist()
    values = {name: dist.quantile(x) for (name, dist), x in zip(parameters.items(), u)}
    if spec.posterior is not None:
        values.update(spec.posterior.particle(u[-1]))
    return values


def scenario_for(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with a draw's values set (its ranges were checked when it was loaded)."""
    for name, value in values.items():
        scenario = replaced(scenario, name, value)
    return scenario


def draws_table(scenario: Scenario) -> pd.DataFrame:
    """One row per draw and parameter: the value drawn."""
    draws = scenario.uncertainty.draws if scenario.uncertainty is not None else 0
    rows = [{"draw": d, "parameter": k, "value": v}
            for d in range(draws) for k, v in draw_values(scenario, d).items()]
    return pd.DataFrame(rows, columns=["draw", "parameter", "value"])


def draw_changes(results: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Per draw, organisation and metric: the change against the baseline as a ratio of
    means over replications, in %, and its Monte Carlo variance (delta method)."""
    wide = results.pivot_table(index=["draw", "metric", "replication"], columns="organisation",
                               values="value", aggfunc="first")
    rows = []
    for org in [c for c in wide.columns if c != baseline]:
        for (draw, metric), g in wide.groupby(level=[0, 1], sort=False):
            b, o = g[baseline].to_numpy(float), g[org].to_numpy(float)
            keep = ~(np.isnan(b) | np.isnan(o))
            mb, mo = (b[keep].mean(), o[keep].mean()) if keep.any() else (np.nan, np.nan)
            change, _, _, var = ratio_change(b, o)
            rows.append({"draw": draw, "organisation": org, "metric": metric, "baseline_mean": mb,
                         "organisation_mean": mo, "change_pct": change, "mc_variance": var})
    return pd.DataFrame(rows)


def as_comparison(summary: pd.DataFrame, baseline: str | None = None) -> pd.DataFrame:
    """A summary over draws under the comparison table's names for its interval
    (``change_pct_ci_lower``/``upper``) and, when given, with its baseline, so that what
    reads a paired comparison (sentences, plots) reads the change over draws too."""
    out = summary.rename(columns={"change_pct_lower": "change_pct_ci_lower",
                                  "change_pct_upper": "change_pct_ci_upper"})
    return out if baseline is None else out.assign(baseline=baseline)


def summarise_draws(changes: pd.DataFrame) -> pd.DataFrame:
    """Across draws: mean change in % and mean difference in the metric's unit, each with
    its total 95 % interval, and the Monte Carlo share of the change's variance."""
    rows = []
    for (org, metric), g in changes.groupby(["organisation", "metric"], sort=False):
        c = g.change_pct.to_numpy(float)
        c = c[~np.isnan(c)]
        if len(c) == 0:
            continue
        total = c.var(ddof=1) if len(c) > 1 else np.nan
        mc = np.nanmean(g.mc_variance.to_numpy(float))
        d = (g.organisation_mean - g.baseline_mean).to_numpy(float)   # in the metric's own unit
        d = d[~np.isnan(d)]
        rows.append({"organisation": org, "metric": metric, "draws": len(c),
                     "change_pct": float(c.mean()),
                     "change_pct_lower": float(np.percentile(c, 2.5)),
                     "change_pct_upper": float(np.percentile(c, 97.5)),
                     "difference": float(d.mean()),
                     "difference_lower": float(np.percentile(d, 2.5)),
                     "difference_upper": float(np.percentile(d, 97.5)),
                     "variance_total": total,
                     # no spread across draws at all (a fixed quantity): no share to report
                     "monte_carlo_share": (float(min(1.0, mc / total))
                                           if total and total > 1e-9 * max(1.0, c.mean() ** 2) else np.nan)})
    return pd.DataFrame(rows)


DECISIONS = (
    ("bed_days_fall", "bed_days_per_citizen_year", "below", 0.0),
    ("bed_days_fall_by_threshold", "bed_days_per_citizen_year", "below", None),
    ("staff_hours_rise", "staff_hours_per_citizen_year", "above", 0.0),
    ("coercive_admissions_fall", "coercive_admissions_per_citizen_year", "below", 0.0),
)


def decision_probabilities(changes: pd.DataFrame, reduction_pct: float) -> pd.DataFrame:
    """Per organisation: the share of draws in which each decision-relevant change happens."""
    rows = []
    for org, g in changes.groupby("organisation", sort=False):
        for name, metric, side, threshold in DECISIONS:
            limit = -reduction_pct if threshold is None else threshold
            c = g.loc[g.metric == metric, "change_pct"].dropna().to_numpy(float)
            if len(c) == 0:
                continue
            p = float(np.mean(c < limit) if side == "below" else np.mean(c > limit))
            rows.append({"organisation": org, "decision": name, "metric": metric,
                         "threshold_pct": limit, "probability": p, "draws": len(c)})
    return pd.DataFrame(rows)


def drivers(draws: pd.DataFrame, changes: pd.DataFrame,
            metric: str = "bed_days_per_citizen_year") -> pd.DataFrame:
    """Which parameter's uncertainty moves the change in ``metric`` most: per
    organisation and parameter, the Spearman rank correlation between the values drawn
    and the draw's change, ranked by its size (a correlation, not a variance share:
    with independent draws it reads as how strongly the change follows the parameter)."""
    from scipy import stats

    wide = draws.pivot(index="draw", columns="parameter", values="value")
    rows = []
    for org, g in changes[changes.metric == metric].groupby("organisation", sort=False):
        change = g.set_index("draw").change_pct.reindex(wide.index)
        for name in wide.columns:
            ok = ~(change.isna() | wide[name].isna())
            x, y = wide[name][ok], change[ok]
            rho = (float(stats.spearmanr(x, y).statistic)
                   if len(x) > 2 and x.nunique() > 1 and y.nunique() > 1 else np.nan)
            rows.append({"organisation": org, "metric": metric, "parameter": name,
                         "spearman_rho": rho})
    out = pd.DataFrame(rows, columns=["organisation", "metric", "parameter", "spearman_rho"])
    out["rank"] = out.groupby("organisation").spearman_rho.transform(
        lambda r: r.abs().rank(ascending=False, method="first"))
    return out.sort_values(["organisation", "rank"]).reset_index(drop=True)


def pooled_over_draws(table: pd.DataFrame, replications: int) -> pd.DataFrame:
    """A table with a ``draw`` column as if every (draw, replication) were one
    replication: the pooled summary over parameter draws. Other tables pass as they are."""
    if "draw" not in table.columns:
        return table
    out = table.assign(replication=table["draw"] * replications + table["replication"])
    return out.drop(columns="draw")
