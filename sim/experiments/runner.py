"""Replications: every organisation of the study, replication by replication.

One replication runs each organisation on the same seed (common random numbers);
replications run in parallel with joblib. Results are collected in replication
order, so a parallel run gives the same tables as a serial one.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from joblib import Parallel, delayed
from tqdm.auto import tqdm

from sim.config.params import Scenario
from sim.experiments.rollout import evaluate_designs
from sim.experiments.simulate import simulate
from sim.experiments.uncertainty import draw_values, draws_table, scenario_for
from sim.model.capacity import team_capacity


@dataclass
class StudyResult:
    """The tidy tables of a study: every replication (and draw) of every organisation."""
    results: pd.DataFrame          # tidy: organisation, replication, metric, value
    events: pd.DataFrame | None    # per-citizen event log
    timeseries: pd.DataFrame       # daily state counts and beds occupied
    citizens: pd.DataFrame         # citizen attributes as drawn (same under every organisation)
    prepost: pd.DataFrame | None = None  # a study's cohort counts before and after inclusion
    capacity: pd.DataFrame | None = None  # each team's hours: capacity, routine demand, board share
    draws: pd.DataFrame | None = None     # parameter draws: draw, parameter, value
    municipalities: pd.DataFrame | None = None  # outcomes per municipality, every replication
    teams: pd.DataFrame | None = None           # each team's own figures, every replication
    projection: pd.DataFrame | None = None      # a roll-out: each arm by calendar year and area
    designs: pd.DataFrame | None = None         # a roll-out: each evaluation design's estimate and truth
    geography: pd.DataFrame | None = None       # the catchment's municipalities: size, cluster, position


PARTS = ("results", "events", "timeseries", "citizens", "prepost", "municipalities", "teams", "projection",
         "designs")
# the parts kept for every parameter draw (the others for draw 0 only)
PER_DRAW = ("results", "prepost", "municipalities", "teams", "projection", "designs")



def run_replication(scenario: Scenario, replication: int) -> dict[str, list[pd.DataFrame]]:
    """One replication of every organisation of the scenario, on the same seed (common random numbers)."""
    parts: dict[str, list] = {name: [] for name in PARTS}
    arms = {}
    for org in scenario.organisations:
        res = arms[org.name] = simulate(scenario, org, replication)
        keys = {"organisation": org.name, "replication": replication}
        parts["results"].append(pd.DataFrame(
            {**keys, "metric": list(res.metrics), "value": list(res.metrics.values())}))
        for name in PARTS[1:-1]:
            frame = getattr(res, name)
            if frame is not None:
                parts[name].append(frame.assign(**keys)[list(keys) + list(frame.columns)])
    rollout, baseline = scenario.rollout, scenario.baseline
    if rollout is not None and rollout.evaluate and baseline is not None:
        plan, none = arms[scenario.organisation.name], arms[baseline.name]
        if plan.counted is not None and none.counted is not None and plan.citizens is not None:
            rows = evaluate_designs(scenario, plan.citizens, plan.counted, none.counted)
            parts["designs"].append(rows.assign(replication=replication)[["replication", *rows.columns]])
    return parts


def run_study(scenario: Scenario, progress: bool | None = None, n_jobs: int | None = None,
              on_progress: Callable[[int, int], None] | None = None) -> StudyResult:
    """Every replication of every organisation; with parameter uncertainty
    (``uncertainty.draws`` > 0), every replication of every draw, and a ``draw`` column
    in the results (the event log, time series and citizens are kept for draw 0).
    ``on_progress(done, total)`` is told after every replication (a page's progress bar)."""
    progress = scenario.progress if progress is None else progress
    n_jobs = scenario.n_jobs if n_jobs is None else n_jobs
    n_draws = scenario.uncertainty.draws if scenario.uncertainty is not None else 0
    tasks = [(d, rep) for d in (range(n_draws) if n_draws else [None])
             for rep in range(scenario.replications)]
    orgs = ", ".join(o.name for o in scenario.organisations)
    what = f"draws x replications ({orgs})" if n_draws else f"replications ({orgs})"
    bar = tqdm(total=len(tasks), desc=what, unit="run", disable=not progress)
    collected = {}

    def done(task, parts) -> None:
        collected[task] = parts
        bar.update()
        if on_progress is not None:
            on_progress(len(collected), len(tasks))

    if on_progress is not None:
        on_progress(0, len(tasks))
    if n_jobs == 1:
        for task in tasks:
            done(task, _task(scenario, task))
    else:
        jobs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
            delayed(_indexed)(scenario, task) for task in tasks)
        for task, parts in jobs:
            done(task, parts)
    bar.close()
    merged = {name: [f for task in tasks for f in collected[task][name]] for name in PARTS}
    frames = {name: pd.concat(frames, ignore_index=True) if frames else None
              for name, frames in merged.items()}
    draws = draws_table(scenario) if n_draws else None
    return StudyResult(**frames, capacity=capacity_table(scenario), draws=draws,
                       geography=geography_table(scenario))


def _task(scenario: Scenario, task: tuple[int | None, int]) -> dict[str, list[pd.DataFrame]]:
    draw, rep = task
    if draw is None:
        return run_replication(scenario, rep)
    parts = run_replication(scenario_for(scenario, draw_values(scenario, draw)), rep)
    for name in PER_DRAW:
        parts[name] = [f.assign(draw=draw)[["draw", *f.columns]] for f in parts[name]]
    if draw != 0:
        for name in set(PARTS) - set(PER_DRAW):
            parts[name] = []
    return parts


def _indexed(scenario: Scenario, task):
    return task, _task(scenario, task)


def capacity_table(scenario: Scenario) -> pd.DataFrame:
    """Does each organisation's staffing carry its contact pattern? One row per team
    (see :mod:`sim.model.capacity`); ``warning`` is a sentence where it does not."""
    rows = []
    for org in scenario.organisations:
        for t in team_capacity(scenario.care_plan(org), scenario.clinical):
            rows.append({"organisation": t.organisation, "team": t.team, "label": t.label,
                         "site": t.site, "base": t.base, "covers": " ".join(t.covers),
                         "case_management": t.case_management,
                         "citizens": t.citizens, "fte": t.fte, "capacity_hours_per_week": t.capacity_hours,
                         "routine_hours_per_week": t.routine_hours, "board_hours_per_week": t.board_hours,
                         "driving_hours_per_week": t.driving_hours, "demand_share": t.demand_share,
                         "routine_shortfall": t.routine_shortfall, "warning": t.warning() or ""})
    return pd.DataFrame(rows)



def geography_table(scenario: Scenario) -> pd.DataFrame:
    """The catchment's municipalities: readable name, cluster, adults, expected target group
    and the main town's position (NaN where driving is hand-set), for per-municipality
    tables and the layout map."""
    pop = scenario.population
    return pd.DataFrame([{"municipality": m, "label": pop.municipality_label(m),
                          "cluster": spec.cluster or "", "adults": spec.adults,
                          "target_group": spec.target_group,
                          "lat": spec.lat if spec.lat is not None else float("nan"),
                          "lon": spec.lon if spec.lon is not None else float("nan")}
                         for m, spec in pop.municipalities.items()])
