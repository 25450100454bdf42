"""Evaluation designs for a staggered roll-out, applied to simulated data.

The region starts cross-sectoral FACT teams site by site. Each replication of the
roll-out runs the same citizens twice under common random numbers: the **plan arm**
(each site's team starts at its date) and the **no-roll-out arm** (fragmented care all
along, the counterfactual). A researcher sees only the plan arm; the model also knows
the counterfactual, so every design below is scored against the truth for the very
citizens or units it analyses:

- :func:`pre_post`: the Norwegian design ([landheim2020]): the citizens enrolled at
  each site's start, each their own control, after against before;
- :func:`stepped_wedge`: municipalities clustered in sites cross from usual care to the
  team at their site's date; a Poisson regression with calendar period and unit effects
  ([hussey2007]), and :func:`stepped_wedge_exposure`, the same by time since the start
  ([kenny2022]);
- :func:`matched`: a Danish register study: citizens served by a starting team against
  propensity-matched citizens of sites that have not started.

Each returns, for one replication and a follow-up of ``follow_up_days``, a dictionary
with ``estimate`` (a rate ratio; below 1 means less of the outcome), ``truth`` (the same
ratio for the same citizens or units, plan arm against the no-roll-out arm), ``p_value``
(the design's own two-sided test of no effect), ``n`` (citizens, units or pairs
analysed) and ``sites``; NaN where the design cannot be formed (no site started in time,
no controls left). :func:`design_rows` runs all three at several follow-ups (and the
stepped wedge on subsets of sites, for power against the number of clusters),
:func:`summarise_designs` gives each design's bias, spread and power over replications,
and :func:`sentences` says it in English and Danish.

Input (one replication): ``citizens`` with columns citizen, municipality, site, start
(the day the site's team starts, ``inf`` if never in the run), entered, exit_time,
age_band, diagnosis, dual_diagnosis; two event logs with columns citizen, time, event
(stays run from an ``admission`` or ``coercive_admission`` to the next ``discharge``,
as :func:`sim.experiments.prepost.stays` reads them; ``crisis`` events select the
pre/post cohort); and ``end``, the run's last day. A stay is cut at the citizen's
exit_time and at ``end``. The outcome is ``bed_days`` (days of the stays inside a
period) or ``admissions`` (stays that begin in it).

Time units: a year of follow-up is the model clock's year (``DAYS_PER_YEAR``, so a
site starting on a whole year is not lost to ``start + F <= end`` by a quarter day);
the pre/post cohort's look-back for a crisis is 12 months of 30.4375 days.
"""
from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.config.units import DAYS_PER_YEAR
from sim.experiments.prepost import _rows, _stay_columns, _stays
from sim.experiments.results import interval

YEAR = DAYS_PER_YEAR
HALF_YEAR = YEAR / 2.0
LOOKBACK_DAYS = 12 * 30.4375          # the pre/post cohort's year before the start, for a crisis
OUTCOMES = ("bed_days", "admissions")
DESIGNS = ("prepost", "stepped_wedge", "stepped_wedge_exposure", "matched")
EVENT_COLUMNS = ("citizen", "time", "event")
CITIZEN_COLUMNS = ("citizen", "municipality", "site", "start", "entered", "exit_time",
                   "age_band", "diagnosis", "dual_diagnosis")
ROW_COLUMNS = ("design", "outcome", "follow_up_years", "sites", "estimate", "truth", "p_value", "n")
CLUSTER_MIN_SITES = 4                 # fewer sites: the quasi-Poisson model's standard error
CALIPER_SD = 0.2                      # matching caliper, in SDs of the propensity's logit
SUBSETS = 10                          # site subsets of one size, at most, for the stepped wedge
LEVEL = 0.05                          # the tests' significance level
_EPS = 1e-9                           # slack when a window must fit inside the run


def _nan_result(**known: float) -> dict[str, float]:
    """A design that cannot be formed: NaN figures (``known`` fills what is known)."""
    out = {"estimate": np.nan, "truth": np.nan, "p_value": np.nan, "n": 0.0, "sites": 0.0}
    out.update(known)
    return out


def _ratio(top: float, bottom: float) -> float:
    """top / bottom, NaN when the bottom is 0 (a ratio with nothing to compare against)."""
    return float(top / bottom) if bottom > 0 else np.nan


@dataclass(frozen=True)
class Replication:
    """One replication of the roll-out: its citizens and both arms' stays, read once.

    ``plan`` and ``counterfactual`` hold one row per stay (citizen, admitted,
    discharged), the stay cut at the citizen's exit and at ``end``; ``crises`` holds the
    plan arm's crisis events (citizen, time). Make one with :meth:`from_logs`.
    """

    citizens: pd.DataFrame
    plan: pd.DataFrame
    counterfactual: pd.DataFrame
    crises: pd.DataFrame
    end: float

    @classmethod
    def from_logs(cls, citizens: pd.DataFrame, plan_events: pd.DataFrame,
                  counterfactual_events: pd.DataFrame, end: float) -> Replication:
        """The replication from its citizens table and the two arms' event logs (frames with
        columns citizen, time, event, or the model's own :class:`~sim.model.event_log.EventLog`)."""
        missing = [c for c in CITIZEN_COLUMNS if c not in citizens.columns]
        if missing:
            raise ValueError(f"citizens: missing column(s) {', '.join(missing)}")
        for name, events in (("plan_events", plan_events), ("counterfactual_events", counterfactual_events)):
            gone = [c for c in EVENT_COLUMNS if c not in getattr(events, "columns", EVENT_COLUMNS)]
            if gone:
                raise ValueError(f"{name}: missing column(s) {', '.join(gone)}")
        if citizens.citizen.duplicated().any():
            raise ValueError("citizens.citizen: a citizen appears more than once")
        people = citizens.reset_index(drop=True).copy()
        people["start"] = people.start.astype(float)
        exits = people.set_index("citizen").exit_time.astype(float)
        plan_rows = _rows(plan_events)
        crises = pd.DataFrame([(c, t) for c, t, event in plan_rows if event == "crisis"], columns=["citizen", "time"])
        return cls(people, _cut_stays(plan_rows, exits, end), _cut_stays(_rows(counterfactual_events), exits, end),
                   crises.astype({"citizen": np.int64, "time": float}), float(end))


def _cut_stays(rows: list[tuple], exits: pd.Series, end: float) -> pd.DataFrame:
    """The stays (citizen, admitted, discharged) of a log's rows, each cut at the citizen's exit and at ``end``."""
    st = _stay_columns(_stays(rows))
    exit_time = exits.reindex(st["citizen"]).fillna(np.inf).to_numpy(float)
    discharged = np.minimum(np.minimum(st["discharged"], exit_time), end)
    return pd.DataFrame({"citizen": st["citizen"], "admitted": st["admitted"], "discharged": discharged})


def window_outcome(stays: pd.DataFrame, citizen: Sequence[int] | np.ndarray, t0: Sequence[float] | np.ndarray,
                   t1: Sequence[float] | np.ndarray, outcome: str = "bed_days") -> np.ndarray:
    """The outcome of each (citizen, window ``[t0, t1)``): bed days (days of the citizen's
    stays inside the window) or admissions (stays that begin in it). One value per window."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome: {outcome!r} is not one of {', '.join(OUTCOMES)}")
    windows = pd.DataFrame({"window": np.arange(len(citizen)), "citizen": np.asarray(citizen, np.int64),
                            "t0": np.asarray(t0, float), "t1": np.asarray(t1, float)})
    both = windows.merge(stays, on="citizen")
    if outcome == "bed_days":
        value = (np.minimum(both.discharged, both.t1) - np.maximum(both.admitted, both.t0)).clip(lower=0.0)
    else:
        value = ((both.admitted >= both.t0) & (both.admitted < both.t1)).astype(float)
    summed = value.groupby(both.window).sum()
    return summed.reindex(windows.window, fill_value=0.0).to_numpy(float)


def _alive_at(citizens: pd.DataFrame, day: pd.Series | float) -> pd.Series:
    """Whether each citizen is in the population on ``day`` (entered <= day < exit_time)."""
    return (citizens.entered <= day) & (day < citizens.exit_time)


def _in_time(start: pd.Series | np.ndarray, follow_up_days: float, end: float) -> np.ndarray:
    """Whether a start is followed for ``follow_up_days`` inside the run."""
    s = np.asarray(start, float)
    return np.isfinite(s) & (s + follow_up_days <= end + _EPS)


# --- 1. pre/post of the enrolled citizens ---------------------------------------------

def pre_post_cohort(rep: Replication, follow_up_days: float, lookback_days: float = LOOKBACK_DAYS) -> pd.DataFrame:
    """The pre/post design's cohort: one row per citizen (citizen, site, start).

    A citizen is enrolled at the site's start when in the population that day and with at
    least one crisis in the ``lookback_days`` before it, at a site whose start leaves a
    whole before-period (``start - follow_up_days >= 0``, the log's first day) and a whole
    after-period (``start + follow_up_days <= end``) inside the run.
    """
    c = rep.citizens
    fits = _in_time(c.start, follow_up_days, rep.end) & (c.start.to_numpy(float) - follow_up_days >= -_EPS)
    alive = c[fits & _alive_at(c, c.start).to_numpy()]
    cr = rep.crises.merge(alive[["citizen", "start"]], on="citizen")
    recent = cr[(cr.time >= cr.start - lookback_days) & (cr.time < cr.start)].citizen.unique()
    return alive[alive.citizen.isin(recent)][["citizen", "site", "start"]].reset_index(drop=True)


def pre_post(rep: Replication, follow_up_days: float, outcome: str = "bed_days",
             lookback_days: float = LOOKBACK_DAYS) -> dict[str, float]:
    """The Norwegian design: the enrolled citizens as their own controls, after against before.

    The cohort (:func:`pre_post_cohort`) is the citizens in the population at their site's
    start with a crisis in the year before it, the way a team enrols the citizens it is
    sent. Each citizen's outcome in ``[start - F, start)`` and ``[start, start + F)``
    (plan arm) gives ``estimate = sum after / sum before``. The study's test is a
    Wilcoxon signed-rank test of the per-citizen differences after - before (zero
    differences dropped, Wilcoxon's own rule; p = 1 when every difference is zero).

    ``truth``: the cohort's outcome after the start in the plan arm over the same citizens'
    outcome in the no-roll-out arm over the same days. Before the start the two arms are
    the same run, so the design's bias is everything but the team: selection on a recent
    crisis and the regression to the mean that follows it, and any calendar trend. Even a
    team without effect shows an estimate below 1 here; that is the design's known flaw.
    """
    cohort = pre_post_cohort(rep, follow_up_days, lookback_days)
    if cohort.empty:
        return _nan_result()
    ids, start = cohort.citizen.to_numpy(), cohort.start.to_numpy(float)
    before = window_outcome(rep.plan, ids, start - follow_up_days, start, outcome)
    after = window_outcome(rep.plan, ids, start, start + follow_up_days, outcome)
    after_cf = window_outcome(rep.counterfactual, ids, start, start + follow_up_days, outcome)
    return {"estimate": _ratio(after.sum(), before.sum()), "truth": _ratio(after.sum(), after_cf.sum()),
            "p_value": _signed_rank(after - before), "n": float(len(ids)), "sites": float(cohort.site.nunique())}


def _signed_rank(differences: np.ndarray) -> float:
    """Two-sided Wilcoxon signed-rank p of the differences (zeros dropped); 1 if all are zero."""
    from scipy.stats import wilcoxon
    if not np.any(differences != 0):
        return 1.0
    return float(wilcoxon(differences, zero_method="wilcox").pvalue)


# --- 2. stepped wedge -----------------------------------------------------------------

def stepped_wedge_panel(rep: Replication, follow_up_days: float, outcome: str = "bed_days",
                        sites: Iterable[str] | None = None) -> pd.DataFrame:
    """The stepped wedge's unit-period table (units: municipalities, clustered in sites).

    Calendar periods of half a year are laid from a year before the first start (among
    ``sites``, all if None) so that it falls on a period's edge, up to the last period
    ending by ``min(end, first start + follow_up_days)``; periods beginning before the
    log's first day are left out. Per municipality and period: ``outcome`` and
    ``outcome_counterfactual`` (summed over its citizens), ``exposure`` (citizen-years in
    the population), and ``treated`` (the site started by the period's first day). A
    period in which the unit's start falls is a transition period and is dropped, as
    are unit-periods without exposure. Columns: unit, site, period, period_start,
    outcome, outcome_counterfactual, exposure, treated.
    """
    c = rep.citizens
    if sites is not None:
        c = c[c.site.isin(list(sites))]
    columns = ["unit", "site", "period", "period_start", "outcome", "outcome_counterfactual", "exposure", "treated"]
    starts = c.start.to_numpy(float)
    if c.empty or not np.isfinite(starts).any():
        return pd.DataFrame(columns=columns)
    first = float(starts[np.isfinite(starts)].min())
    last = min(rep.end, first + follow_up_days)
    k = np.arange(-2, int(np.floor((last - first) / HALF_YEAR + _EPS)) + 1)
    edges = first + HALF_YEAR * k
    edges = edges[edges >= -_EPS]
    if len(edges) < 2:
        return pd.DataFrame(columns=columns)
    lo, hi = edges[:-1], edges[1:]
    ids = c.citizen.to_numpy(np.int64)
    unit_of = pd.Series(c.municipality.to_numpy(), index=ids)
    alive = (np.minimum(c.exit_time.to_numpy(float)[:, None], hi) -
             np.maximum(c.entered.to_numpy(float)[:, None], lo)).clip(min=0.0) / YEAR
    frame = pd.DataFrame(alive, columns=range(len(lo)))
    frame["unit"] = c.municipality.to_numpy()
    exposure = frame.groupby("unit").sum()
    arms = {}
    for key, arm in (("outcome", rep.plan), ("outcome_counterfactual", rep.counterfactual)):
        st = arm[arm.citizen.isin(ids)]
        a, d = st.admitted.to_numpy(float)[:, None], st.discharged.to_numpy(float)[:, None]
        if outcome == "bed_days":
            per = (np.minimum(d, hi) - np.maximum(a, lo)).clip(min=0.0)
        elif outcome == "admissions":
            per = ((a >= lo) & (a < hi)).astype(float)
        else:
            raise ValueError(f"outcome: {outcome!r} is not one of {', '.join(OUTCOMES)}")
        f = pd.DataFrame(per, columns=range(len(lo)))
        f["unit"] = unit_of.reindex(st.citizen.to_numpy()).to_numpy()
        arms[key] = f.groupby("unit").sum().reindex(exposure.index, fill_value=0.0)
    units = c.drop_duplicates("municipality").set_index("municipality")
    panel = pd.DataFrame({
        "unit": np.repeat(exposure.index.to_numpy(), len(lo)),
        "period": np.tile(np.arange(len(lo)), len(exposure)),
        "period_start": np.tile(lo, len(exposure)),
        "period_end": np.tile(hi, len(exposure)),
        "outcome": arms["outcome"].to_numpy().ravel(),
        "outcome_counterfactual": arms["outcome_counterfactual"].to_numpy().ravel(),
        "exposure": exposure.to_numpy().ravel()})
    panel["site"] = units.site.reindex(panel.unit).to_numpy()
    unit_start = units.start.reindex(panel.unit).to_numpy(float)
    transition = (unit_start > panel.period_start) & (unit_start < panel.period_end)
    panel["treated"] = (unit_start <= panel.period_start).astype(int)
    panel = panel[~transition & (panel.exposure > 0)]
    return panel[columns].reset_index(drop=True)


def stepped_wedge_fit(panel: pd.DataFrame, cluster_min_sites: int = CLUSTER_MIN_SITES,
                      exposure_bins: tuple[float, ...] | None = None) -> dict[str, float]:
    """The stepped wedge's analysis of a unit-period table: a Poisson regression.

    log E[outcome] = log(exposure) + period effect + unit effect + log(rate ratio) x
    treated, a GLM with log link and fixed effects for calendar period (the secular trend
    every unit shares) and unit (its own level), so the team's effect is learnt both
    within units over time and between units in the same period. The outcome (bed days)
    is over-dispersed and clustered, so the standard error is cluster-robust by site
    (sandwich with the small-sample correction, a t-test on sites - 1 degrees of freedom)
    when there are at least ``cluster_min_sites`` sites; with fewer, a cluster-robust
    error is itself too noisy and the quasi-Poisson model's error is used (Pearson
    chi-squared scale, t on the residual degrees of freedom), which assumes the periods
    of a unit independent once its level is fixed.

    ``exposure_bins`` (days since the unit's start, e.g. ``(0, 182.5, 365)``): the
    exposure-time model instead (Kenny et al. 2022, [kenny2022]): one indicator per bin of
    time since the start in place of ``treated``, so an effect that builds up is not
    averaged with its first months; the estimate is the last bin's (the effect once the
    team has run that long). ``panel`` then needs ``exposure_days``.

    ``panel``: columns unit, site, period, outcome, exposure, treated. Returns estimate
    (exp of the treated coefficient), ci_lower, ci_upper (95 %), p_value, n (units),
    sites, and ``clustered`` (1 if the error is clustered by site); NaN when the effect is
    not identified (no treated or no untreated unit-period, or treatment that the period
    and unit effects explain).
    """
    import statsmodels.api as sm
    n_units, n_sites = panel.unit.nunique() if len(panel) else 0, panel.site.nunique() if len(panel) else 0
    nan = {"estimate": np.nan, "ci_lower": np.nan, "ci_upper": np.nan, "p_value": np.nan,
           "n": float(n_units), "sites": float(n_sites), "clustered": np.nan}
    if panel.empty or panel.treated.nunique() < 2:
        return nan
    fixed = pd.get_dummies(panel[["period", "unit"]].astype(str), drop_first=True, dtype=float)
    fixed.insert(0, "const", 1.0)
    treatment = (panel.treated.to_numpy(float)[:, None] if exposure_bins is None
                 else _exposure_indicators(panel, exposure_bins))
    x = np.hstack([fixed.to_numpy(float), treatment])
    if np.linalg.matrix_rank(x) < np.linalg.matrix_rank(fixed.to_numpy(float)) + treatment.shape[1]:
        return nan
    model = sm.GLM(panel.outcome.to_numpy(float), x, family=sm.families.Poisson(),
                   offset=np.log(panel.exposure.to_numpy(float)))
    clustered = n_sites >= cluster_min_sites
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if clustered:
            groups = pd.factorize(panel.site)[0]
            fit = model.fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
        else:
            fit = model.fit(scale="X2", use_t=True)
    j = x.shape[1] - 1   # the treatment's (the last exposure bin's) coefficient
    coef, (lo, hi) = float(fit.params[j]), fit.conf_int(alpha=LEVEL)[j]
    if not np.isfinite(coef):
        return nan
    return {"estimate": math.exp(coef), "ci_lower": math.exp(lo), "ci_upper": math.exp(hi),
            "p_value": float(fit.pvalues[j]), "n": float(n_units), "sites": float(n_sites),
            "clustered": float(clustered)}


def _exposure_indicators(panel: pd.DataFrame, bins: tuple[float, ...]) -> np.ndarray:
    """One column per bin of days since the unit's start (1 in a treated unit-period whose
    time since the start falls in the bin)."""
    days = panel.exposure_days.to_numpy(float)
    treated = panel.treated.to_numpy(float) > 0
    edges = [*bins[1:], np.inf]
    return np.column_stack([(treated & (days >= lo) & (days < hi)).astype(float)
                            for lo, hi in zip(bins, edges)])


EXPOSURE_BINS = (0.0, HALF_YEAR, YEAR)   # the exposure-time model: first half-year, second, after


def stepped_wedge_exposure(rep: Replication, follow_up_days: float, outcome: str = "bed_days",
                           bins: tuple[float, ...] = EXPOSURE_BINS) -> dict[str, float]:
    """The stepped wedge analysed by time since each site's start (the exposure-time
    model of :func:`stepped_wedge_fit`): the estimate is the effect in the last bin (by
    default, from a year after the start), and the truth the plan arm over the
    no-roll-out arm in the treated unit-periods of that bin."""
    panel = stepped_wedge_panel(rep, follow_up_days, outcome)
    starts = rep.citizens.drop_duplicates("municipality").set_index("municipality").start.astype(float)
    panel = panel.assign(exposure_days=panel.period_start.to_numpy(float)
                         - starts.reindex(panel.unit).to_numpy(float))
    result = stepped_wedge_fit(panel, exposure_bins=bins)
    last = panel[(panel.treated == 1) & (panel.exposure_days >= bins[-1])]
    result["truth"] = (_ratio(last.outcome.sum(), last.outcome_counterfactual.sum())
                       if np.isfinite(result["estimate"]) and len(last) else np.nan)
    result["sites"] = float(rep.citizens.site.nunique())
    return result


def stepped_wedge(rep: Replication, follow_up_days: float, outcome: str = "bed_days",
                  sites: Iterable[str] | None = None,
                  cluster_min_sites: int = CLUSTER_MIN_SITES) -> dict[str, float]:
    """The stepped-wedge comparison across sites by start date (on ``sites`` only, if given).

    Municipalities cross from usual care to the team when their site starts; the panel
    (:func:`stepped_wedge_panel`) runs half-year periods from a year before the first start
    to ``follow_up_days`` after it, and the Poisson regression (:func:`stepped_wedge_fit`)
    estimates the rate ratio of the outcome per citizen-year, treated against not,
    adjusted for period and municipality. Sites that start after the follow-up (or never)
    are controls throughout. ``truth``: over the treated unit-periods analysed, the plan
    arm's outcome over the no-roll-out arm's. ``n``: municipalities analysed.
    """
    chosen = None if sites is None else list(sites)
    panel = stepped_wedge_panel(rep, follow_up_days, outcome, chosen)
    return _wedge(panel, rep.citizens.site.nunique() if chosen is None else len(set(chosen)), cluster_min_sites)


def _wedge(panel: pd.DataFrame, sites: int, cluster_min_sites: int = CLUSTER_MIN_SITES) -> dict[str, float]:
    """The stepped wedge's fit of ``panel`` and its truth over the treated unit-periods."""
    result = stepped_wedge_fit(panel, cluster_min_sites)
    treated = panel[panel.treated == 1]
    result["truth"] = (_ratio(treated.outcome.sum(), treated.outcome_counterfactual.sum())
                       if np.isfinite(result["estimate"]) else np.nan)
    result["sites"] = float(sites)
    return result


# --- 3. matched comparison ------------------------------------------------------------

def matched_sample(rep: Replication, follow_up_days: float, outcome: str = "bed_days",
                   caliper_sd: float = CALIPER_SD) -> pd.DataFrame:
    """The matched comparison's pairs: one row per pair.

    Index days are the starts of the sites that start with a whole follow-up inside the
    run. On each, the treated are the site's citizens in the population that day; the
    candidate controls, the citizens in the population that day of the sites that start
    after the follow-up ends (or never), so their follow-up is usual care. The register
    knows age band, diagnosis, dual diagnosis and, from the plan arm, admissions and bed
    days in the year before the index day; a logistic regression of being treated on
    these (and the stratum: the index day of one starting site) gives each candidate's
    propensity, fitted by statsmodels' Logit, or scikit-learn's (lightly penalised)
    logistic regression when Logit does not converge or separates. Within each stratum
    treated and controls are paired on the logit, closest pairs first
    (:func:`_nearest_pairs`), within ``caliper_sd`` standard
    deviations of the logit over all candidates: 1:1, without replacement inside a stratum
    (a citizen may be a control again on another index day, as in risk-set sampling).

    Columns: index (the day), site (the treated's), treated, control (citizen ids),
    treated_outcome, treated_counterfactual, control_outcome (over ``[index, index + F)``).
    """
    columns = ["index", "site", "treated", "control", "treated_outcome", "treated_counterfactual",
               "control_outcome"]
    c = rep.citizens
    starts = c.drop_duplicates("site").set_index("site").start.astype(float)
    frames: list[pd.DataFrame] = []
    for site, index in starts[_in_time(starts, follow_up_days, rep.end)].sort_values().items():
        alive = c[_alive_at(c, index)]
        treated = alive[alive.site == site]
        controls = alive[alive.start.to_numpy(float) > index + follow_up_days + _EPS]
        if treated.empty or controls.empty:
            continue
        frames.append(pd.concat([treated.assign(is_treated=True), controls.assign(is_treated=False)])
                      .assign(index=index, stratum=len(frames)))
    if not frames:
        return pd.DataFrame(columns=columns)
    pool = pd.concat(frames, ignore_index=True)
    ids, index = pool.citizen.to_numpy(), pool["index"].to_numpy(float)
    pool["prior_admissions"] = window_outcome(rep.plan, ids, index - YEAR, index, "admissions")
    pool["prior_bed_days"] = window_outcome(rep.plan, ids, index - YEAR, index, "bed_days")
    pool["logit"] = _propensity_logit(pool)
    caliper = caliper_sd * float(pool.logit.std(ddof=1)) if len(pool) > 1 else 0.0
    pairs = []
    for _, stratum in pool.groupby("stratum", sort=True):
        pairs += _nearest_pairs(stratum, caliper, float(stratum["index"].iloc[0]))
    if not pairs:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame(pairs, columns=["index", "site", "treated", "control"])
    t0, t1 = out["index"].to_numpy(float), out["index"].to_numpy(float) + follow_up_days
    out["treated_outcome"] = window_outcome(rep.plan, out.treated, t0, t1, outcome)
    out["treated_counterfactual"] = window_outcome(rep.counterfactual, out.treated, t0, t1, outcome)
    out["control_outcome"] = window_outcome(rep.plan, out.control, t0, t1, outcome)
    return out[columns]


def _nearest_pairs(day: pd.DataFrame, caliper: float, index_day: float) -> list[tuple]:
    """1:1 matching on the logit within a caliper, without replacement, closest pairs
    first: of all treated-control pairs within the caliper, the closest is taken, then the
    closest of those left, and so on. Taking the treated in a fixed order instead (highest
    propensity first) would, with fewer controls than treated, pair the most atypical
    treated and leave the comparison unbalanced even without an effect."""
    treated = day[day.is_treated].sort_values("citizen")
    controls = day[~day.is_treated].sort_values("citizen")
    t_logit, t_ids = treated.logit.to_numpy(float), treated.citizen.to_numpy()
    c_logit, c_ids = controls.logit.to_numpy(float), controls.citizen.to_numpy()
    t_site = treated.site.to_numpy()
    distance = np.abs(t_logit[:, None] - c_logit[None, :])
    ti, ci = np.nonzero(distance <= caliper)
    order = np.lexsort((c_ids[ci], t_ids[ti], distance[ti, ci]))   # ties: by the citizens' ids
    used_t = np.zeros(len(t_ids), dtype=bool)
    used_c = np.zeros(len(c_ids), dtype=bool)
    pairs = []
    for k in order.tolist():
        i, j = int(ti[k]), int(ci[k])
        if used_t[i] or used_c[j]:
            continue
        used_t[i] = used_c[j] = True
        pairs.append((index_day, t_site[i], int(t_ids[i]), int(c_ids[j])))
    return pairs


def _propensity_logit(pool: pd.DataFrame) -> np.ndarray:
    """The linear predictor (logit) of being treated, given the register's covariates."""
    import statsmodels.api as sm
    from sklearn.linear_model import LogisticRegression
    y = pool.is_treated.to_numpy(float)
    if y.min() == y.max():
        return np.zeros(len(pool))
    categorical = pool[["age_band", "diagnosis"]].astype(str).assign(stratum=pool.stratum.astype(str))
    x = pd.get_dummies(categorical, drop_first=True, dtype=float)
    x["dual_diagnosis"] = pool.dual_diagnosis.astype(float).to_numpy()
    x["prior_admissions"] = pool.prior_admissions.to_numpy(float)
    x["prior_bed_days"] = pool.prior_bed_days.to_numpy(float)
    x = x.loc[:, x.std(ddof=0) > 0]
    x = (x - x.mean()) / x.std(ddof=0)        # standardised: the logit is the same, the fit steadier
    x.insert(0, "const", 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = sm.Logit(y, x.to_numpy(float)).fit(disp=0, maxiter=200)
            eta = np.asarray(fit.fittedvalues, float)
            if fit.mle_retvals.get("converged", False) and np.all(np.isfinite(eta)) and np.abs(eta).max() < 20:
                return eta
        except (np.linalg.LinAlgError, ValueError, ArithmeticError):
            pass
        except Exception as error:       # statsmodels' PerfectSeparationError in older versions
            if "separation" not in type(error).__name__.lower():
                raise
        lr = LogisticRegression(max_iter=1000).fit(x.drop(columns="const").to_numpy(float), y)
        return np.asarray(lr.decision_function(x.drop(columns="const").to_numpy(float)), float)


def matched(rep: Replication, follow_up_days: float, outcome: str = "bed_days",
            caliper_sd: float = CALIPER_SD) -> dict[str, float]:
    """The matched comparison of a Danish register study (pairs from :func:`matched_sample`).

    ``estimate``: the treated's mean outcome over the follow-up over their matched
    controls' mean; the test is a paired t-test (``scipy.stats.ttest_rel``) of the pairs'
    outcomes (p = 1 when every pair is equal). ``truth``: the average effect on the matched
    treated, their plan-arm outcome over the same citizens' outcome in the no-roll-out
    arm. ``n``: matched pairs; ``sites``: index sites with at least one pair. The design
    is unbiased only as far as the register's covariates capture why citizens differ
    between sites.
    """
    from scipy.stats import ttest_rel
    pairs = matched_sample(rep, follow_up_days, outcome, caliper_sd)
    if pairs.empty:
        return _nan_result()
    t, k = pairs.treated_outcome.to_numpy(float), pairs.control_outcome.to_numpy(float)
    if np.all(t == k):
        p = 1.0
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p = float(ttest_rel(t, k).pvalue) if len(t) > 1 else np.nan
    return {"estimate": _ratio(t.mean(), k.mean()),
            "truth": _ratio(t.sum(), pairs.treated_counterfactual.sum()),
            "p_value": p, "n": float(len(pairs)), "sites": float(pairs.site.nunique())}


# --- aggregation ----------------------------------------------------------------------

def site_subsets(sites: Sequence[str], size: int, most: int = SUBSETS) -> list[tuple[str, ...]]:
    """Subsets of ``size`` sites: all of them when there are at most ``most``, else
    ``most`` distinct ones drawn with a seed fixed by the sites and the size (the same
    subsets in every replication)."""
    ordered = sorted(sites)
    if math.comb(len(ordered), size) <= most:
        return list(itertools.combinations(ordered, size))
    rng = np.random.default_rng([size, len(ordered)])
    chosen: dict[tuple[str, ...], None] = {}
    while len(chosen) < most:
        pick = tuple(sorted(rng.choice(ordered, size=size, replace=False).tolist()))
        chosen[pick] = None
    return sorted(chosen)


def design_rows(citizens: pd.DataFrame, plan_events: pd.DataFrame, counterfactual_events: pd.DataFrame,
                end: float, follow_up_years: Iterable[float] = (2, 4), site_counts: Iterable[int] | None = None,
                outcome: str = "bed_days", subsets: int = SUBSETS) -> pd.DataFrame:
    """One replication's rows: every design at every follow-up (in years of the model clock).

    Columns: design (one of ``DESIGNS``), outcome, follow_up_years, sites (sites
    analysed), estimate, truth, p_value, n. The stepped wedge runs on all sites and, for
    each size in ``site_counts`` (2 up to all sites; other sizes are ignored), on every
    subset of that many sites, or ``subsets`` drawn ones when there are more
    (:func:`site_subsets`), each on its sites' rows of the region's panel (the same
    calendar periods): one row per subset, averaged by :func:`summarise_designs`.
    A design that cannot be formed gives a row of NaN.
    """
    rep = Replication.from_logs(citizens, plan_events, counterfactual_events, end)
    all_sites = sorted(rep.citizens.site.unique().tolist())
    sizes = sorted({int(k) for k in (site_counts or ()) if 2 <= int(k) < len(all_sites)})
    rows = []
    for years in follow_up_years:
        days = float(years) * YEAR

        def row(design: str, result: dict[str, float], years: float = float(years)) -> dict:
            return {"design": design, "outcome": outcome, "follow_up_years": years,
                    **{k: result[k] for k in ("sites", "estimate", "truth", "p_value", "n")}}

        rows.append(row("prepost", pre_post(rep, days, outcome)))
        # the region's panel once; a subset of sites is its rows of those sites (the same
        # calendar periods), so power by the number of sites costs a fit, not a panel
        panel = stepped_wedge_panel(rep, days, outcome)
        rows.append(row("stepped_wedge", _wedge(panel, len(all_sites))))
        for k in sizes:
            for subset in site_subsets(all_sites, k, subsets):
                rows.append(row("stepped_wedge", _wedge(panel[panel.site.isin(subset)], k)))
        rows.append(row("stepped_wedge_exposure", stepped_wedge_exposure(rep, days, outcome)))
        rows.append(row("matched", matched(rep, days, outcome)))
    out = pd.DataFrame(rows, columns=list(ROW_COLUMNS))
    out["sites"] = out.sites.astype(int)
    return out


def summarise_designs(rows: pd.DataFrame) -> pd.DataFrame:
    """Each design's performance over replications, per outcome, follow-up and sites.

    ``rows``: :func:`design_rows` of many replications, with a ``replication`` column (and
    ``draw``, with parameter draws); without one each row counts as a replication. A row
    is one study a researcher could have run. Columns: replications (with a formed
    design), estimate and truth (means), bias (mean of estimate - truth), spread (the
    estimate's SD over the studies), power (the share of studies with p < 0.05: the
    false-alarm rate where the truth is 1), bias_lower and bias_upper, and ``covers``:
    ``noise`` when the interval is the Student-t 95 % interval of the mean bias over
    replications (several subsets of sites of one replication first averaged), ``draws``
    with several parameter draws, the interval holding 95 % of the draws' mean biases,
    as the project's summaries do.
    """
    keys = ["design", "outcome", "follow_up_years", "sites"]
    formed = rows[np.isfinite(rows.estimate.astype(float))].copy()
    formed["bias"] = formed.estimate - formed.truth
    formed["found"] = (formed.p_value < LEVEL).astype(float)
    replicate = [c for c in ("draw", "replication") if c in formed.columns] or None
    if replicate is None:
        formed["replication"] = np.arange(len(formed))
        replicate = ["replication"]
    draws = "draw" in formed.columns and formed["draw"].nunique() > 1
    out = []
    for key, g in formed.groupby(keys, sort=True):
        per_rep = g.groupby(replicate).bias.mean()
        if draws:
            per_draw = g.groupby("draw").bias.mean().to_numpy(float)
            lo, hi = np.quantile(per_draw, [0.025, 0.975])
            covers = "draws"
        else:
            _, lo, hi, _ = interval(per_rep.to_numpy(float))
            covers = "noise"
        out.append({**dict(zip(keys, key)), "replications": len(per_rep),
                    "estimate": float(g.estimate.mean()), "truth": float(g.truth.mean()),
                    "bias": float(g.bias.mean()), "spread": float(g.estimate.std(ddof=1)) if len(g) > 1 else np.nan,
                    "power": float(g.found.mean()), "bias_lower": float(lo), "bias_upper": float(hi),
                    "covers": covers})
    columns = keys + ["replications", "estimate", "truth", "bias", "spread", "power", "bias_lower",
                      "bias_upper", "covers"]
    return pd.DataFrame(out, columns=columns)
