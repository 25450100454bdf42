"""An optimising sweep (``-m hydra/sweeper=optuna objective=...``): the study on Optuna.

Optuna asks for a batch of points (``hydra.sweeper.n_jobs`` at once), the sweep's
launcher runs each as an ordinary job (local cores, or Ray with ``hydra/launcher=ray``),
and each job's ``objective`` table (:mod:`sim.output.objective`) gives Optuna the
objective's mean and each constraint's violation (TPE samples with the constraints;
an infeasible point is marked, never reported as best). A point asked again is told
its earlier result without running (the same seed gives the same numbers).

The study lives in Optuna's storage, by default ``<sweep dir>/study.db`` (SQLite): the
same command with ``hydra.sweep.dir=<that folder>`` resumes it, keeping every finished
trial, running the points of trials that were cut off again, and adding trials up to
``n_trials``. When the study ends, :mod:`sim.output.optimisation` writes the trials
table, the plots and the sentences for the report.
"""
from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

import pandas as pd

from sim.config.errors import ConfigError
from sim.config.load import split_sources
from sim.config.params import Objective
from sim.config.search import Lever, search_space
from sim.config.validate import build

# a constraint's violation told to TPE for a metric without a value (NaN: never feasible)
NO_VALUE = 1e12


def objective_of(config) -> Objective:
    """The sweep's objective, validated from its configuration."""
    from omegaconf import OmegaConf

    data = config.get("objective")
    if data is None:
        raise ConfigError("objective: the optimising sweeper needs an objective (objective=<name>)")
    plain = OmegaConf.to_container(data, resolve=True)
    if not isinstance(plain, dict):
        raise ConfigError("objective: must be a mapping (a file in scenarios/objective/)")
    values, _ = split_sources(plain)
    return build(Objective, values, "objective")


def distribution(lever: Lever):
    """The Optuna distribution of a lever."""
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

    if lever.kind == "categorical":
        return CategoricalDistribution(list(lever.choices))
    if lever.kind == "int":
        return IntDistribution(int(lever.low or 0), int(lever.high or 0), step=int(lever.step or 1), log=lever.log)
    return FloatDistribution(float(lever.low or 0), float(lever.high or 0), step=lever.step if not lever.log else None,
                             log=lever.log)


def sampler(sweeper):
    """TPE (which reads each trial's constraints, set from its job) or random."""
    import optuna

    if sweeper.sampler == "random":
        return optuna.samplers.RandomSampler(seed=sweeper.seed)
    return optuna.samplers.TPESampler(seed=sweeper.seed, n_startup_trials=sweeper.startup_trials)


def run(sweeper, arguments: list[str]) -> list:
    """Run (or resume) the study of ``arguments`` (the command line's task overrides)."""
    import optuna
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from omegaconf import OmegaConf
    from optuna.trial import TrialState

    config = sweeper.config
    sweep_dir = Path(str(config.hydra.sweep.dir))
    sweep_dir.mkdir(parents=True, exist_ok=True)
    OmegaConf.save(config, sweep_dir / "multirun.yaml")
    given = {a.lstrip("+~").partition("=")[0] for a in arguments}
    lines = list(arguments) + [f"{k}={v}" for k, v in sweeper.params.items() if k not in given]
    levers, fixed = search_space(OverridesParser.create().parse_overrides(lines))
    if not levers:
        raise ConfigError("hydra.sweeper.params: an empty search space; give at least one lever")
    objective = objective_of(config)
    names = list(objective.constraints or {})
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage = sweeper.storage or f"sqlite:///{sweep_dir.resolve() / 'study.db'}"
    study = optuna.create_study(storage=storage, study_name=sweeper.study_name, direction=objective.direction,
                                sampler=sampler(sweeper), load_if_exists=True)
    space = {lv.key: [lv.kind, lv.low, lv.high, lv.step, lv.log, list(lv.choices)] for lv in levers}
    asked = {"space": space, "fixed": fixed, "objective": objective.name, "constraints": names}
    before = study.user_attrs.get("asked")
    if before is None:
        study.set_user_attr("asked", json.loads(json.dumps(asked, default=str)))
    elif before != json.loads(json.dumps(asked, default=str)):
        raise ConfigError(f"hydra.sweep.dir={sweep_dir}: holds a study of other levers, settings or objective "
                          "(study.db); choose another folder to start a new study")
    for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING, TrialState.WAITING)):
        if t.state == TrialState.RUNNING:   # cut off: fail it and ask its point again
            study._storage.set_trial_user_attr(t._trial_id, "cut_off", True)
            study.tell(t.number, state=TrialState.FAIL)
            study.enqueue_trial(t.params, skip_if_exists=False)
            print(f"[optuna] trial {t.number} was cut off; its point is asked again", flush=True)
    dists = {lv.key: distribution(lv) for lv in levers}
    known: dict[tuple, dict] = {}
    for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)):
        if "job" in t.user_attrs:
            known.setdefault(point_key(t.user_attrs.get("point", {})), {
                "value": t.value, "names": names, "constraints": [t.constraints.get(n, NO_VALUE) for n in names],
                "feasible": bool(t.user_attrs.get("feasible")), "job": t.user_attrs["job"],
                "trial": t.user_attrs.get("repeat_of", t.number)})
    done = len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE, TrialState.FAIL, TrialState.PRUNED)))
    done -= sum(1 for t in study.get_trials(deepcopy=False, states=(TrialState.FAIL,))
                if t.user_attrs.get("cut_off"))
    if done:
        print(f"[optuna] resuming the study in {sweep_dir}: {done} trials done", flush=True)
    job = 1 + max([int(p.name) for p in sweep_dir.iterdir() if p.is_dir() and p.name.isdigit()], default=-1)
    started, total = time.time(), sweeper.n_trials
    returns = []
    while done < total:
        batch = [study.ask(dists) for _ in range(min(sweeper.n_jobs, total - done))]
        pending: list[tuple[Any, dict, int]] = []
        later = []
        for trial in batch:
            point = {lv.key: lv.clean(trial.params[lv.key]) for lv in levers}
            trial.set_user_attr("point", point)
            key = point_key(point)
            if key in known:
                later.append((trial, key))
            elif any(point_key(p) == key for _, p, _ in pending):
                later.append((trial, key))
            else:
                pending.append((trial, point, job))
                job += 1
        if pending:
            overrides = [fixed + [lv.override(p[lv.key]) for lv in levers] for _, p, _ in pending]
            rets = sweeper.launcher.launch(overrides, initial_job_idx=pending[0][2])
            returns.append(rets)
            for (trial, point, idx), ret, lines in zip(pending, rets, overrides):
                result = read_job(sweeper, lines, idx, ret, names)
                tell(study, trial, result, idx, None)
                if result["value"] is not None:
                    known[point_key(point)] = dict(result, job=idx, trial=trial.number)
        for trial, key in later:
            earlier = known.get(key)
            if earlier is None:   # asked again in the batch whose job failed
                study.tell(trial, state=TrialState.FAIL)
                continue
            tell(study, trial, earlier, earlier["job"], earlier["trial"])
        done += len(batch)
        print(progress(study, done, total, started, objective), flush=True)
    from sim.output import optimisation

    table = trials_table(study, levers, names)
    info = optimisation.write(sweep_dir, table, [lv.key for lv in levers], objective,
                              sampler=sweeper.sampler, seed=sweeper.seed)
    print(optimisation.describe(info, sweep_dir), flush=True)
    return returns


def point_key(point: dict) -> tuple:
    """A point as a key: its levers' values in order of their names."""
    return tuple(sorted((k, json.dumps(v)) for k, v in point.items()))


def job_folder(sweeper, overrides: list[str], idx: int) -> Path:
    """Where the launcher wrote job ``idx`` (``hydra.sweep.dir``/``hydra.sweep.subdir``)."""
    from omegaconf import open_dict

    config = sweeper.hydra_context.config_loader.load_sweep_config(sweeper.config, list(overrides))
    with open_dict(config):
        config.hydra.job.num = idx
        config.hydra.job.id = f"{idx}"
    return Path(str(config.hydra.sweep.dir)) / str(config.hydra.sweep.subdir)


def read_job(sweeper, overrides: list[str], idx: int, ret, names: list[str]) -> dict:
    """A job's objective and each constraint's mean and violation, from its folder's
    ``objective`` table; ``value`` None for a job that failed."""
    from hydra.core.utils import JobStatus

    failed = {"value": None, "names": names, "constraints": [NO_VALUE] * len(names), "feasible": False}
    if ret.status == JobStatus.FAILED:
        print(f"[optuna] job {idx} failed: {str(ret._return_value).splitlines()[0][:300]}", flush=True)
        return failed
    path = job_folder(sweeper, overrides, idx) / "objective.parquet"
    if not path.is_file():
        print(f"[optuna] job {idx} wrote no objective table ({path})", flush=True)
        return failed
    table = pd.read_parquet(path).set_index("name")
    value = float(table.loc["objective", "mean"])
    if math.isnan(value):
        return failed
    violations = [float(table.loc[n, "violation"]) for n in names]
    feasible = bool(all(table.loc[n, "satisfied"] for n in names))
    return {"value": value, "names": names,
            "constraints": [v if not math.isnan(v) else NO_VALUE for v in violations],
            "feasible": feasible}


def tell(study, trial, result: dict, job: int, repeat_of: int | None) -> None:
    """Tell Optuna a trial's objective, with its constraints' violations first (TPE reads them)."""
    from optuna.trial import TrialState

    trial.set_user_attr("job", job)
    if repeat_of is not None:
        trial.set_user_attr("repeat_of", repeat_of)
    if result["value"] is None:
        study.tell(trial, state=TrialState.FAIL)
        return
    for name, violation in zip(result["names"], result["constraints"]):   # Optuna: <= 0 holds
        trial.set_constraint(name, violation)
    trial.set_user_attr("feasible", result["feasible"])
    study.tell(trial, result["value"])


def progress(study, done: int, total: int, started: float, objective: Objective) -> str:
    """One line after each batch: trials done, time, the best feasible point so far."""
    from optuna.trial import TrialState

    feasible = [t for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
                if t.user_attrs.get("feasible")]
    text = f"[optuna] {done}/{total} trials ({time.time() - started:.0f} s)"
    if feasible:
        pick = min if objective.direction == "minimize" else max
        best = pick(feasible, key=lambda t: t.value)
        point = ", ".join(f"{k.rsplit('.', 1)[-1]}={v}" for k, v in best.user_attrs["point"].items())
        text += f"; best feasible so far: {point}: {best.value:,.6g}"
    else:
        text += "; no feasible point yet"
    return text


def trials_table(study, levers: list[Lever], names: list[str]) -> pd.DataFrame:
    """One row per trial: number, job, state, the levers' values, the objective and
    feasibility (the job's table adds the intervals and the constraints' means)."""
    rows = []
    for t in study.get_trials(deepcopy=False):
        point = t.user_attrs.get("point", {})
        rows.append({"trial": t.number, "job": t.user_attrs.get("job"), "state": t.state.name.lower(),
                     "repeat_of": t.user_attrs.get("repeat_of"),
                     **{lv.key: point.get(lv.key) for lv in levers}})
    table = pd.DataFrame(rows, columns=["trial", "job", "state", "repeat_of", *[lv.key for lv in levers]])
    table["job"] = table["job"].astype("Int64")
    table["repeat_of"] = table["repeat_of"].astype("Int64")
    return table
