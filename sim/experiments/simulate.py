"""One replication of one arm of a study: the model run, then what the design counts.

A side-by-side comparison runs each organisation on the same citizens (common random
numbers). In a pre/post study (``scenario.study``) the arm of the organisation under
study starts in the baseline and moves the enrolled citizens at the inclusion date;
the baseline arm is the counterfactual. The before/after counts of the cohort are
made here, from the event log, so the model itself knows nothing of study designs.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from sim.config.params import CalendarTrend, Organisation, Scenario
from sim.config.units import DAYS_PER_MONTH
from sim.experiments.parent import end_with_parent
from sim.experiments.prepost import WITH_TREND, WITHOUT_TREND, count_periods
from sim.experiments.rollout import NO_ROLLOUT, PLAN, project, staffing_of
from sim.model.replication import Model


@dataclass
class ArmResult:
    """What one replication of one organisation gives the experiment."""
    metrics: dict[str, float]
    events: pd.DataFrame | None       # per-citizen event log (None unless kept)
    timeseries: pd.DataFrame | None   # daily state counts (None: metrics only, ``tables=False``)
    citizens: pd.DataFrame | None     # citizen attributes as drawn
    prepost: pd.DataFrame | None = None  # a study's before/after counts for its cohort
    municipalities: pd.DataFrame | None = None   # outcomes per municipality
    teams: pd.DataFrame | None = None            # each team's own figures
    projection: pd.DataFrame | None = None       # a roll-out's arm by calendar year and area
    counted: pd.DataFrame | None = None          # a roll-out's log of counted events (citizen, time, event)


def simulate(scenario: Scenario, organisation: Organisation, replication: int,
             tables: bool = True) -> ArmResult:
    """Run one replication of ``organisation`` and count what the study design asks for.
    ``tables=False``: the metrics (and a study's counts) without the frames.
    In a worker process (a sweep's, a study's, a calibration's), the worker ends when its
    parent is gone (:func:`~sim.experiments.parent.end_with_parent`)."""
    end_with_parent()
    study = scenario.study
    plan = scenario.care_plan(organisation)
    if study is not None and scenario.baseline is not None and organisation is not scenario.baseline:
        model = Model(scenario, scenario.care_plan(scenario.baseline), replication, enrol_into=plan)
    elif scenario.rollout is not None and scenario.baseline is not None and organisation is not scenario.baseline:
        model = Model(scenario, scenario.care_plan(scenario.baseline), replication, rollout=plan)
    else:
        model = Model(scenario, plan, replication)
    res = model.run(tables)
    events, prepost = res.events, None
    if study is not None:
        prepost = _study_counts(scenario, res).assign(calendar=WITH_TREND)
        if organisation is scenario.baseline and scenario.trend_start is not None:
            # the counterfactual once more without the calendar trend: what selection and
            # regression to the mean alone would give (the decomposition's third term)
            flat = replace(scenario, study=replace(study, calendar_trend=CalendarTrend()))
            without = _study_counts(flat, Model(flat, plan, replication).run(False))
            prepost = pd.concat([prepost, without.assign(calendar=WITHOUT_TREND)], ignore_index=True)
        if not scenario.event_log:
            events = None
    projection = counted = None
    if scenario.rollout is not None and res.log is not None and res.citizens is not None:
        log = res.log
        counted = pd.DataFrame({"citizen": log.citizens(), "time": log.times(), "event": log.words("event")})
        staffing = res.staffing
        if staffing is None and res.teams is not None:
            staffing = staffing_of(res.teams, plan)
        arm = NO_ROLLOUT if organisation is scenario.baseline else PLAN
        projection = project(scenario, counted, res.citizens, staffing, model.end).assign(arm=arm)
        if not scenario.event_log:
            events = None
    return ArmResult(res.metrics, events, res.timeseries, res.citizens, prepost, res.municipalities, res.teams,
                     projection, counted)


def _study_counts(scenario: Scenario, res) -> pd.DataFrame:
    """The cohort's counts before and after the inclusion date, from a run's event log."""
    study, inclusion = scenario.study, scenario.inclusion_day
    assert study is not None and inclusion is not None   # counted only for a study's run
    counts = count_periods(res.log, res.cohort, inclusion,
                           study.pre_months * DAYS_PER_MONTH, study.post_months * DAYS_PER_MONTH)
    counts["cohort"] = len(res.cohort)
    return counts
