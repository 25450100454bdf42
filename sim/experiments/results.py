"""Tidy summaries: mean and 95 % interval per organisation and metric, and paired
comparisons with the baseline.

Intervals are Student-t intervals across independent replications. Comparisons
pair each replication of an organisation with the same replication of the
baseline (common random numbers), which removes the noise the two share.
"""
from __future__ import annotations

import math
from functools import cache

import numpy as np
import pandas as pd


@cache
def t_quantile(p: float, df: int) -> float:
    """Student's t quantile (scipy.special.stdtrit, loaded on first use: scipy.stats takes
    about a second to import, which every refused command would pay). Kept once worked
    out: a summary asks for the same few quantiles for every metric of every group."""
    from scipy.special import stdtrit
    return float(stdtrit(df, p))


def interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float, float]:
    """Mean, Student-t interval at ``level`` and n of the values that are not NaN (NaN bounds for n < 2)."""
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    mean = float(values.mean())
    if n < 2:
        return mean, np.nan, np.nan, n
    half = t_quantile(0.5 + level / 2, n - 1) * values.std(ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half, n


def interval_text(mean: float, lower: float, upper: float) -> str:
    """``mean (lower-upper)`` with two decimals, as tables show an estimate; an interval
    that cannot be computed (one replication) says so instead of showing NaN."""
    if math.isnan(mean):
        return "n/a"
    if math.isnan(lower) or math.isnan(upper):
        return f"{mean:.2f} (no interval: one replication)"
    return f"{mean:.2f} ({lower:.2f}-{upper:.2f})"


def summarise(results: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    """One row per organisation (and ``by``) and metric: n, mean, ci_lower, ci_upper."""
    keys = (by or []) + ["organisation", "metric"]
    rows = []
    for key, group in results.groupby(keys, sort=False):
        mean, lo, hi, n = interval(group["value"].to_numpy(dtype=float))
        rows.append({**dict(zip(keys, key)), "n": n, "mean": mean, "ci_lower": lo, "ci_upper": hi})
    return pd.DataFrame(rows)


def ratio_change(base: np.ndarray, other: np.ndarray,
                 level: float = 0.95) -> tuple[float, float, float, float]:
    """The change of ``other`` against ``base`` in %, as a ratio of means over paired
    replications: 100 x (mean(other) / mean(base) - 1), with its Student-t interval at
    ``level`` and its variance by the delta method (the variance of the residuals
    ``other - ratio x base`` over ``mean(base)``, divided by n; Cochran, *Sampling
    Techniques*, ch. 6). A ratio of means stays finite when some replications have none
    in the baseline, where a mean of per-replication ratios does not. Returns (change,
    lower, upper, variance); NaN where undefined (no pairs, a baseline mean of zero) and
    NaN bounds and variance for one pair."""
    keep = ~(np.isnan(base) | np.isnan(other))
    b, o = base[keep], other[keep]
    n = len(b)
    if n == 0 or b.mean() == 0:
        return np.nan, np.nan, np.nan, np.nan
    mb, mo = b.mean(), o.mean()
    change = 100.0 * (mo / mb - 1.0)
    if n < 2:
        return change, np.nan, np.nan, np.nan
    var = 100.0 ** 2 * ((o - (mo / mb) * b) / mb).var(ddof=1) / n
    half = t_quantile(0.5 + level / 2, n - 1) * math.sqrt(var)
    return change, change - half, change + half, var


def compare(results: pd.DataFrame, baseline: str, by: list[str] | None = None) -> pd.DataFrame:
    """Paired differences of every organisation against ``baseline``, per metric.

    Columns: difference (organisation - baseline) with its interval, and the relative
    change in % as a ratio of means over the paired replications
    (:func:`ratio_change`), with its interval.
    """
    keys = (by or []) + ["metric", "replication"]
    wide = results.pivot_table(index=keys, columns="organisation", values="value", aggfunc="first")
    rows = []
    for org in [c for c in wide.columns if c != baseline]:
        for key, group in wide.groupby(level=list(range(len(keys) - 1)), sort=False):
            key = key if isinstance(key, tuple) else (key,)
            base, other = group[baseline].to_numpy(float), group[org].to_numpy(float)
            if np.isnan(other).all() or np.isnan(base).all():
                continue  # this organisation is not in this sweep point
            diff = interval(other - base)
            change, lower, upper, _ = ratio_change(base, other)
            base_mean = np.nanmean(base) if len(base) else np.nan
            rows.append({**dict(zip(keys[:-1], key)), "organisation": org, "baseline": baseline,
                         "n": diff[3], "baseline_mean": base_mean, "organisation_mean": np.nanmean(other),
                         "difference": diff[0], "difference_ci_lower": diff[1],
                         "difference_ci_upper": diff[2], "change_pct": change,
                         "change_pct_ci_lower": lower, "change_pct_ci_upper": upper})
    return pd.DataFrame(rows)
