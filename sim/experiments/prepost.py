"""The Norwegian pre/post design and its counterfactual ([landheim2020]).

The evaluation compared each enrolled person's register data in the 24 months before
inclusion with the 24 months after, the same people as their own controls. The model
runs that design twice under common random numbers: once as it happened (the enrolled
citizens move to the organisation under study at the inclusion date) and once as the
counterfactual (the same citizens stay in the baseline). Up to the inclusion date the
two runs are the same run, so the cohort and its "before" counts are identical and

    observed ratio (after / before)  = counterfactual ratio x organisation effect

splits the observed change into what the organisation did and what selection on a
recent crisis and regression to the mean would have done anyway (Burns et al. 2007,
[burns2007]).

Counting works on the event log alone (columns citizen, time, event), so a
hand-made log can check it: an admission is an ``admission`` or ``coercive_admission``
event; its stay ends at the next ``discharge`` of the same citizen (or at the end of
the log); coercive bed days run from a coercive admission to ``ready_for_discharge``
or discharge, whichever comes first (the model's definition of coercive bed days).
Counts per period: admissions, coercive admissions, bed days and coercive bed days
(the overlap of stays with the period), distinct people admitted, crises.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config.units import DAYS_PER_MONTH
from sim.experiments.results import interval
from sim.model.event_log import EventLog
from sim.model.names import ADMISSION_EVENTS, STAY_EVENTS

MONTH = DAYS_PER_MONTH
MEASURES = ("admissions", "coercive_admissions", "bed_days", "coercive_bed_days",
            "people_admitted", "crises")
PERIODS = ("pre", "post")
# the decomposition, one row per replication and measure: the observed change (observed
# ratio - 1) = organisation effect + calendar trend + selection and regression to the mean
QUANTITIES = ("observed_ratio", "counterfactual_ratio", "organisation_effect",
              "organisation_effect_ratio", "calendar_trend", "selection_and_regression")
# a study's counts (column ``calendar``): as run, and the counterfactual without the calendar trend
WITH_TREND, WITHOUT_TREND = "trend", "no_trend"


def _rows(events, cohort: set[int] | None = None) -> list[tuple]:
    """(citizen, time, event) of every entry (of the ``cohort``'s citizens only, if given),
    from a frame with those columns or from the model's own log."""
    if isinstance(events, EventLog):
        citizen, time, event = events.citizens(), events.times(), events.words("event")
    else:
        citizen, time, event = events.citizen.to_numpy(), events.time.to_numpy(), events.event.to_numpy()
    if cohort is not None:
        keep = np.isin(citizen, np.fromiter(cohort, np.int64, len(cohort)))
        citizen, time, event = citizen[keep], time[keep], event[keep]
    return list(zip(citizen.tolist(), time.tolist(), event.tolist()))


def _stays(rows: list[tuple]) -> list[list]:
    """[citizen, admitted, ready, discharged, coercive] per admission, in order of citizen
    and time (see :func:`stays`)."""
    out = []
    current: dict[int, list] = {}
    for cid, time, event in sorted((r for r in rows if r[2] in STAY_EVENTS), key=lambda r: (r[0], r[1])):
        if event in ADMISSION_EVENTS:
            row = [cid, time, np.inf, np.inf, event == "coercive_admission"]
            out.append(row)
            current[cid] = row
            continue
        stay = current.get(cid)
        if stay is None:
            continue
        if event == "discharge":
            if stay[3] == np.inf:
                stay[3] = time
        elif stay[2] == np.inf:
            stay[2] = time
    return out


def stays(events) -> pd.DataFrame:
    """One row per admission: citizen, admitted, coercive_until, discharged, coercive.

    A stay ends at the citizen's next ``discharge`` after the admission (infinite if
    none); a coercive stay is coercive until ``ready_for_discharge`` or discharge,
    whichever comes first. Events of a citizen before any admission are not a stay's.
    """
    return pd.DataFrame(_stay_columns(_stays(_rows(events))))


def _stay_columns(st: list[list]) -> dict[str, np.ndarray]:
    """The stays as columns: citizen, admitted, coercive_until, discharged, coercive."""
    admitted = np.array([s[1] for s in st], dtype=float)
    discharged = np.array([s[3] for s in st], dtype=float)
    coercive = np.array([s[4] for s in st], dtype=bool)
    ready = np.array([s[2] for s in st], dtype=float)
    return {"citizen": np.array([s[0] for s in st], dtype=np.int64), "admitted": admitted,
            "coercive_until": np.where(coercive, np.minimum(ready, discharged), admitted),
            "discharged": discharged, "coercive": coercive}


def _overlap(t0: np.ndarray, t1: np.ndarray, start: float, end: float) -> float:
    """Days of the spans ``[t0, t1)`` inside ``[start, end)``, summed."""
    return float((np.minimum(t1, end) - np.maximum(t0, start)).clip(min=0.0).sum())


def count_periods(events, cohort, inclusion: float, pre_days: float,
                  post_days: float) -> pd.DataFrame:
    """Counts for the cohort in ``[inclusion - pre, inclusion)`` and ``[inclusion, inclusion + post)``.

    ``events``: a frame with columns citizen, time and event, or the model's own log (rows
    starting with those three). Returns one row per period and measure (columns period,
    measure, value).
    """
    cohort = set(int(c) for c in cohort)
    rows = _rows(events, cohort)
    st = _stay_columns(_stays(rows))
    citizen, admitted, discharged = st["citizen"].tolist(), st["admitted"], st["discharged"]
    coercive, coercive_until = st["coercive"], st["coercive_until"]
    crises = [t for _, t, event in rows if event == "crisis"]
    out = []
    for period, (start, end) in (("pre", (inclusion - pre_days, inclusion)),
                                 ("post", (inclusion, inclusion + post_days))):
        inside = (admitted >= start) & (admitted < end)
        values = {
            "admissions": int(inside.sum()),
            "coercive_admissions": int((inside & coercive).sum()),
            "bed_days": _overlap(admitted, discharged, start, end),
            "coercive_bed_days": _overlap(admitted, coercive_until, start, end),
            "people_admitted": len({c for c, i in zip(citizen, inside.tolist()) if i}),
            "crises": sum(1 for t in crises if start <= t < end),
        }
        out += [{"period": period, "measure": m, "value": float(values[m])} for m in MEASURES]
    return pd.DataFrame(out)


def decompose(counts: pd.DataFrame, counterfactual: str) -> pd.DataFrame:
    """Per replication and measure: observed and counterfactual after/before ratios and the
    three terms of the observed change,

        observed ratio - 1 = organisation effect + calendar trend + selection and regression,

    where the organisation effect is observed - counterfactual ratio, the calendar trend the
    counterfactual's ratio less the same counterfactual's without the trend, and selection
    and regression to the mean that ratio - 1 (with no trend the second term is 0).

    ``counts`` has columns organisation, replication, period, measure, value and, for a
    study with a calendar trend, ``calendar`` (rows ``no_trend``: the counterfactual run
    without it); the arm named ``counterfactual`` stayed in the baseline, the other arm
    moved. A ratio with nothing before (0 / 0 or x / 0) is missing, not infinite.
    """
    flat = None
    if "calendar" in counts.columns:
        without = counts.calendar == WITHOUT_TREND
        if without.any():
            flat = counts[without].pivot_table(index=["replication", "measure"], columns="period",
                                               values="value", aggfunc="first")
        counts = counts[~without]
    wide = counts.pivot_table(index=["replication", "measure"], columns=["organisation", "period"],
                              values="value", aggfunc="first")
    arms = [o for o in dict.fromkeys(counts.organisation) if o != counterfactual]
    rows = []
    for arm in arms:
        pre = wide[(arm, "pre")]
        with np.errstate(divide="ignore", invalid="ignore"):
            obs = np.where(pre > 0, wide[(arm, "post")] / pre, np.nan)
            cf = np.where(pre > 0, wide[(counterfactual, "post")] / pre, np.nan)
            rel = np.where(cf > 0, obs / cf, np.nan)
            if flat is None:
                cf0 = cf
            else:
                f = flat.reindex(wide.index)
                cf0 = np.where(f["pre"] > 0, f["post"] / f["pre"], np.nan)
        parts = {"observed_ratio": obs, "counterfactual_ratio": cf,
                 "organisation_effect": obs - cf, "organisation_effect_ratio": rel,
                 "calendar_trend": cf - cf0, "selection_and_regression": cf0 - 1.0}
        for quantity in QUANTITIES:
            frame = wide.index.to_frame(index=False)
            frame.insert(0, "organisation", arm)
            frame["quantity"] = quantity
            frame["value"] = parts[quantity]
            rows.append(frame)
    return pd.concat(rows, ignore_index=True)[["organisation", "replication", "measure",
                                               "quantity", "value"]]


def _per_quantity(parts: pd.DataFrame):
    """(organisation, measure, quantity, values) in the order of MEASURES and QUANTITIES."""
    ordered = parts.assign(measure=pd.Categorical(parts.measure, MEASURES),
                           quantity=pd.Categorical(parts.quantity, QUANTITIES))
    for (org, measure, quantity), g in ordered.groupby(
            ["organisation", "measure", "quantity"], sort=True, observed=True):
        yield org, measure, quantity, g.value.to_numpy(float)


def summarise_decomposition(decomposition: pd.DataFrame) -> pd.DataFrame:
    """Mean and 95 % t-interval across replications for every quantity and measure."""
    rows = []
    for org, measure, quantity, v in _per_quantity(decomposition):
        mean, lo, hi, n = interval(v)
        rows.append({"organisation": org, "measure": measure, "quantity": quantity, "n": n,
                     "mean": mean, "ci_lower": lo, "ci_upper": hi})
    return pd.DataFrame(rows)


def decompose_draws(counts: pd.DataFrame, counterfactual: str) -> pd.DataFrame:
    """Per parameter draw and measure: the decomposition of the counts summed over the
    draw's replications (a ratio of sums, as the Norwegian study pools its cohort), so a
    draw with a quiet replication still has a ratio. ``counts`` has a ``draw`` column."""
    keys = ["draw", "organisation", "period", "measure"] + (["calendar"] if "calendar" in counts.columns else [])
    sums = (counts.groupby(keys, sort=False)["value"].sum()
            .reset_index().rename(columns={"draw": "replication"}))
    return decompose(sums, counterfactual).rename(columns={"replication": "draw"})


def summarise_decomposition_draws(parts: pd.DataFrame) -> pd.DataFrame:
    """Across parameter draws, per quantity and measure: the mean and the interval that
    holds 95 % of the draws (parameter uncertainty and simulation noise together)."""
    rows = []
    for org, measure, quantity, v in _per_quantity(parts):
        v = v[~np.isnan(v)]
        lo, hi = (np.quantile(v, [0.025, 0.975]) if len(v) else (np.nan, np.nan))
        rows.append({"organisation": org, "measure": measure, "quantity": quantity, "draws": len(v),
                     "mean": float(v.mean()) if len(v) else np.nan, "lower": float(lo), "upper": float(hi)})
    return pd.DataFrame(rows)


def text_table(summary: pd.DataFrame, lower: str = "ci_lower", upper: str = "ci_upper") -> str:
    """The decomposition as a terminal table (ratios after/before with the interval in the
    columns ``lower`` and ``upper``: over replications, or over draws)."""
    from sim.experiments.results import interval_text
    rows = []
    for (_org, measure), g in summary.groupby(["organisation", "measure"], sort=False):
        q = g.set_index("quantity")
        cells = {k: interval_text(q.at[k, "mean"], q.at[k, lower], q.at[k, upper])
                 for k in ("observed_ratio", "counterfactual_ratio", "organisation_effect_ratio")}
        row = {"measure": measure, "observed after/before": cells["observed_ratio"],
               "counterfactual after/before": cells["counterfactual_ratio"],
               "organisation effect (ratio)": cells["organisation_effect_ratio"]}
        if "calendar_trend" in q.index and q.at["calendar_trend", "mean"] != 0:
            row["calendar trend (change)"] = interval_text(q.at["calendar_trend", "mean"],
                                                           q.at["calendar_trend", lower],
                                                           q.at["calendar_trend", upper])
        rows.append(row)
    with pd.option_context("display.max_columns", None, "display.width", 200):
        return pd.DataFrame(rows).set_index("measure").to_string()
