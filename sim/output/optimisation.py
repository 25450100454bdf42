"""An optimising sweep's results: the trials table, the best options, plots and sentences.

Read from the study's trials (:mod:`sim.apps.optimise`) and each trial's own
``objective`` table, never from the model. Noise is not ignored: the best point is the
feasible point with the best mean objective, and the **options** are every feasible point
whose objective interval overlaps the best one's (points that cannot be told apart at
this many replications). With parameter draws (``uncertainty=posterior``) the objective
is the mean over the draws, the interval holds 95 % of the draws' means, and ``p_best``
is the share of draws in which each option is the best of the options (the draws are the
same at every point: common random numbers). A constraint **binds** when a point with a
better objective than the best broke it. A point that breaks a constraint is never best;
when every point does, the sentences say so.

Writes into the sweep folder: ``trials`` (Parquet and CSV), ``optimisation.json``, the
sentences ``optimisation_da.txt`` and ``optimisation_en.txt``, and
``plots/optimisation_trials.png`` and ``plots/optimisation_levers.png``.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.params import Objective
from sim.output import numbers
from sim.output.files import write_text
from sim.output.run_folder import saved_scenario, write_table
from sim.output.words import OPTIMISATION, parameter, title

TRIAL_COLUMNS = ("trial", "job", "state", "repeat_of")   # then the levers, then RESULT_COLUMNS, constraints
RESULT_COLUMNS = ("objective", "objective_ci_lower", "objective_ci_upper", "covers", "n")
FLAG_COLUMNS = ("feasible", "best", "option", "p_best")


def with_results(sweep: Path, trials: pd.DataFrame, constraints: list[str]) -> pd.DataFrame:
    """The trials with each one's objective (mean, interval, what it covers, n), each
    constraint's mean and whether all hold, from its job's ``objective`` table."""
    rows = []
    for job in trials["job"]:
        row: dict = dict.fromkeys((*RESULT_COLUMNS, *constraints), math.nan)
        row["covers"], row["feasible"] = "", False
        path = sweep / str(job) / "objective.parquet" if not pd.isna(job) else None
        if path is not None and path.is_file():
            table = pd.read_parquet(path).set_index("name")
            o = table.loc["objective"]
            row.update(objective=o["mean"], objective_ci_lower=o["ci_lower"], objective_ci_upper=o["ci_upper"],
                       covers=o["covers"], n=o["n"])
            row.update({c: table.loc[c, "mean"] for c in constraints})
            row["feasible"] = bool(all(table.loc[c, "satisfied"] for c in constraints))
        rows.append(row)
    extra = pd.DataFrame(rows, index=trials.index)
    out = pd.concat([trials, extra], axis=1)
    out.loc[out.state != "complete", "feasible"] = False
    out["n"] = out["n"].astype("Int64")
    return out


def choose(table: pd.DataFrame, direction: str, draws: dict[int, pd.Series] | None = None) -> pd.DataFrame:
    """Mark the best feasible point (``best``), the options that cannot be told apart from
    it (``option``: a feasible point whose interval overlaps the best's) and, with parameter
    draws (``draws``: job -> objective per draw), each option's probability of being the
    best of the options (``p_best``). Repeats of a point share its marks."""
    out = table.copy()
    out["best"], out["option"], out["p_best"] = False, False, math.nan
    done = out[(out.state == "complete") & out.objective.notna()]
    feasible = done[done.feasible.astype(bool)]
    if not len(feasible):
        return out
    sign = 1.0 if direction == "minimize" else -1.0
    best = feasible.loc[(sign * feasible.objective).idxmin()]
    lo, hi = best.objective_ci_lower, best.objective_ci_upper
    if math.isnan(lo) or math.isnan(hi):
        lo = hi = best.objective
    overlap = (feasible.objective_ci_lower <= hi) & (feasible.objective_ci_upper >= lo)
    options = set(feasible[overlap | (feasible.job == best.job)].job)
    out["best"] = out.job == best.job
    out["option"] = out.job.isin(options)
    if draws:
        jobs = sorted(j for j in options if j in draws)
        wide = pd.DataFrame({j: draws[j] for j in jobs}).dropna()
        if len(wide) and jobs:
            winner = (sign * wide).idxmin(axis=1)
            share = winner.value_counts() / len(wide)
            out["p_best"] = [float(share.get(j, 0.0)) if j in options else math.nan for j in out.job]
    return out


def binding(table: pd.DataFrame, constraints: list[str], direction: str, objective: Objective) -> list[str]:
    """The constraints that bind: a finished point better than the best feasible one broke them
    (with no feasible point: every constraint some point broke)."""
    done = table[(table.state == "complete") & table.objective.notna()]
    best = done[done.best]
    sign = 1.0 if direction == "minimize" else -1.0
    better = done if not len(best) else done[sign * done.objective < sign * best.objective.iloc[0]]
    out = []
    specs = objective.constraints or {}
    for name in constraints:
        spec = specs[name]
        broken = better[name].map(lambda v, s=spec: s.violation(float(v)) > 0)
        if broken.any():
            out.append(name)
    return out


def per_draw(sweep: Path, jobs) -> dict[int, pd.Series]:
    """The objective per parameter draw (mean over replications) of each job that has draws."""
    out = {}
    for job in jobs:
        path = sweep / str(job) / "objective_values.parquet"
        if not path.is_file():
            continue
        values = pd.read_parquet(path)
        if "draw" not in values.columns:
            continue
        mine = values[values.kind == "objective"]
        out[int(job)] = mine.groupby("draw")["value"].mean()
    return out


def gains(sweep: Path, job: int, metrics: tuple[str, ...]) -> dict[str, tuple[float, float, float]]:
    """The best point's change in % against the baseline for ``metrics`` (its comparison)."""
    path = sweep / str(job) / "comparison.parquet"
    if not path.is_file():
        return {}
    comp = pd.read_parquet(path).set_index("metric")
    return {m: (float(comp.loc[m, "change_pct"]), float(comp.loc[m, "change_pct_ci_lower"]),
                float(comp.loc[m, "change_pct_ci_upper"])) for m in metrics if m in comp.index}


def point_text(row: pd.Series, levers: list[str], lang: str) -> str:
    """``caseload 16, municipal share 0.6`` in the reader's words."""
    parts = []
    for key in levers:
        value = row[key]
        shown = numbers.number(float(value), lang, 0 if float(value).is_integer() else 2) \
            if isinstance(value, int | float | np.number) else str(value)
        parts.append(f"{parameter(key, lang)} {shown}")
    return ", ".join(parts)


def sentence(table: pd.DataFrame, levers: list[str], objective: Objective, bind: list[str],
             gained: dict[str, tuple[float, float, float]], labels: dict[str, str], lang: str) -> str:
    """The report's sentence: the best options, what they cost and gain against today, and
    which constraints bind (or that no point kept every constraint)."""
    w = OPTIMISATION[lang]
    trials = int((table.state == "complete").sum())
    distinct = int(table[(table.state == "complete") & table.repeat_of.isna()].job.nunique())
    specs = objective.constraints or {}

    def named(c: str) -> str:
        spec = specs[c]
        return (spec.label_da if lang == "da" else spec.label) or c

    what = objective.label_da if lang == "da" else objective.label
    if not table.best.any():
        broken = [named(c) for c in bind] or [w["none"]]
        return w["infeasible"].format(trials=trials, distinct=distinct, broken="; ".join(broken))
    best = table[table.best].iloc[0]
    options = table[table.option & ~table.best & table.repeat_of.isna()].drop_duplicates("job")
    value = numbers.interval(best.objective, best.objective_ci_lower, best.objective_ci_upper, lang, signed=True)
    covers = w["covers_draws"] if best.covers == "draws" else w["covers_noise"]
    text = w["best"].format(trials=trials, distinct=distinct, point=point_text(best, levers, lang), what=what,
                            value=value, unit=objective.unit, covers=covers,
                            against=w["against"].format(baseline=labels.get("baseline", ""))
                            if objective.of == "change" else "")
    if gained:
        text += " " + w["gains"].format(gains=", ".join(
            f"{_named(m, lang)} {numbers.change(*v, lang)}" for m, v in gained.items()))
    if len(options):
        shown = "; ".join(point_text(r, levers, lang) for _, r in options.iterrows())
        text += " " + w["options"].format(options=shown)
    else:
        text += " " + w["alone"]
    if not math.isnan(best.p_best):
        text += " " + w["p_best"].format(p=numbers.number(100 * best.p_best, lang, 0))
    text += " " + (w["binding"].format(binding="; ".join(named(c) for c in bind)) if bind else w["not_binding"])
    return text


def _named(metric: str, lang: str) -> str:
    """A metric as the report names it, or by its own name where the words have none."""
    try:
        return title(metric, lang).lower()
    except KeyError:
        return metric.replace("_", " ")


def write(sweep: Path, trials: pd.DataFrame, levers: list[str], objective: Objective, sampler: str = "tpe",
          seed: int = 0) -> dict:
    """Write the trials table, the plots, the sentences and ``optimisation.json``; return the summary."""
    constraints = list(objective.constraints or {})
    table = with_results(sweep, trials, constraints)
    draws = per_draw(sweep, table[table.repeat_of.isna()].job.dropna().unique())
    table = choose(table, objective.direction, draws)
    table["feasible"] = table["feasible"].astype(bool)
    files = write_table(table, sweep, "trials")
    bind = binding(table, constraints, objective.direction, objective)
    best = table[table.best]
    labels: dict[str, dict[str, str]] = {"da": {}, "en": {}}
    gained: dict = {}
    if len(best):
        job = int(best.job.iloc[0])
        scenario = saved_scenario(sweep / str(job))
        for lang in labels:
            names = scenario.labels(lang)
            labels[lang]["baseline"] = names[scenario.baseline.name] if scenario.baseline else ""
        gained = gains(sweep, job, objective.report_metrics)
    sentences = {lang: sentence(table, levers, objective, bind, gained, labels[lang], lang) for lang in ("da", "en")}
    for lang, text in sentences.items():
        write_text(sweep / f"optimisation_{lang}.txt", text + "\n")
        files.append(f"optimisation_{lang}.txt")
    from sim.output import plots

    (sweep / "plots").mkdir(parents=True, exist_ok=True)
    files.append(str(plots.optimisation_trials(table, objective, sweep / "plots" / "optimisation_trials.png")
                     .relative_to(sweep)))
    files.append(str(plots.optimisation_levers(table, levers, objective, sweep / "plots" / "optimisation_levers.png")
                     .relative_to(sweep)))
    done = table[table.state == "complete"]
    options = table[table.option & table.repeat_of.isna()].drop_duplicates("job")
    info = {"objective": objective.name, "direction": objective.direction, "sampler": sampler, "seed": seed,
            "levers": levers, "trials": int(len(done)), "distinct_points": int(done[done.repeat_of.isna()]
                                                                                 .job.nunique()),
            "feasible_points": int(done[done.feasible & done.repeat_of.isna()].job.nunique()),
            "best": _point(best.iloc[0], levers) if len(best) else None,
            "options": [_point(r, levers) for _, r in options.iterrows()],
            "binding": bind, "sentence": sentences, "files": files}
    write_text(sweep / "optimisation.json", json.dumps(info, indent=2, default=_plain))
    return info


def _point(row: pd.Series, levers: list[str]) -> dict:
    return {"job": int(row.job), **{k: _plain(row[k]) for k in levers},
            "objective": float(row.objective), "ci_lower": float(row.objective_ci_lower),
            "ci_upper": float(row.objective_ci_upper), "covers": row.covers,
            "p_best": None if math.isnan(row.p_best) else float(row.p_best)}


def _plain(value):
    if isinstance(value, np.generic):
        return value.item()
    return value


def describe(info: dict, sweep: Path) -> str:
    """What the study found, for the terminal: the English sentence and where the table is."""
    return (f"Optimisation: {info['trials']} trials ({info['distinct_points']} distinct points, "
            f"{info['feasible_points']} feasible) -> {sweep}/trials.csv\n{info['sentence']['en']}")
