"""Merge a sweep's finished jobs into one tidy table, with the swept parameters as columns.

    factsim-merge outputs/sweep_2026-11-22_10-00-00      # or: python -m sim.output.merge <folder>

Runs by itself at the end of every sweep (a Hydra callback, :class:`MergeSweep`), and
by hand on a sweep that was interrupted: only finished jobs are merged (a valid
manifest that matches the job's files, written for the overrides Hydra lists for the
job: a job re-asked with other values and killed before it finished is not kept);
the unfinished ones are listed, and re-running the same sweep into the same folder
(``hydra.sweep.dir=<folder>``) runs only those.

Writes into the sweep folder: ``sweep_results`` (parameters..., organisation,
replication, metric, value), ``sweep_summary`` (mean and 95 % interval per point),
``sweep_comparison`` (paired change against the baseline per point), the same per
municipality and per team (``sweep_municipality_summary``, ``sweep_municipality_comparison``,
``sweep_team_summary``), Parquet and CSV,
with parameter draws also ``sweep_draw_changes`` and ``sweep_uncertainty`` (per point:
the change across draws with the interval that holds 95 % of them) and each point's
``sweep_best_probability``, ``sweep_acceptability`` and ``sweep_value_of_information``
(:mod:`sim.output.value`), for roll-out plans ``sweep_projection_summary`` and
``sweep_designs_summary``,
``sweep.json`` (swept parameters, finished and missing jobs) and the sweep plots.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd
import yaml
from hydra.experimental.callback import Callback

from sim.config.dotted import value_at
from sim.config.errors import ConfigError, command, exit_bad_input
from sim.experiments.results import compare, summarise
from sim.experiments.uncertainty import draw_changes, pooled_over_draws, summarise_draws
from sim.output.files import digests, write_text
from sim.output.run_folder import (
    SWEEP_MANIFEST,
    finished_manifest,
    saved_scenario,
    write_table,
)

RESULT_COLUMNS = ("organisation", "replication", "metric", "value")
# a run's tables per municipality and per team that the merge gathers over the points
AREA_TABLES = ("municipality_summary", "municipality_comparison", "team_summary")
# with parameter draws: each point's probability each organisation is best, its
# acceptability curve and its value of information (sim.output.value)
VALUE_TABLES = ("best_probability", "acceptability", "value_of_information")
# a sweep of roll-out plans: each point's projection by year and its designs (sim.output.projection)
ROLLOUT_TABLES = ("projection_summary", "designs_summary")


def job_folders(sweep: Path) -> list[Path]:
    """Job folders of a sweep: those Hydra made (with .hydra/overrides.yaml)."""
    jobs = [p for p in sweep.iterdir() if p.is_dir() and (p / ".hydra" / "overrides.yaml").is_file()]
    return sorted(jobs, key=lambda p: (len(p.name), p.name))


def job_lines(job: Path) -> list[str]:
    """The task overrides Hydra lists for one job (its .hydra/overrides.yaml)."""
    try:
        lines = yaml.safe_load((job / ".hydra" / "overrides.yaml").read_text())
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{job / '.hydra' / 'overrides.yaml'}: cannot be read ({err.__class__.__name__})") from None
    if lines is not None and not isinstance(lines, list):
        raise ConfigError(f"{job / '.hydra' / 'overrides.yaml'}: must be a list of overrides")
    return [str(line) for line in lines or []]


def is_finished(job: Path) -> bool:
    """The job finished what Hydra now lists for it: a valid manifest that matches the
    job's files and was written for the same overrides."""
    manifest = finished_manifest(job)
    return manifest is not None and manifest.get("overrides") == job_lines(job)


def job_overrides(job: Path) -> dict[str, str]:
    """The task overrides of one job, as key -> value text (Hydra's own keys left out)."""
    lines = job_lines(job)
    out = {}
    for line in lines:
        key, _, value = str(line).lstrip("+~").partition("=")
        if not key.startswith("hydra"):
            out[key] = value
    return out


def _point(job: Path, asked: dict[str, str], keys: list[str]) -> dict:
    """The swept keys' values at a job: as the job was asked, or where it was not asked (a
    workshop's scenarios each move other levers) the value its configuration ran with."""
    config = None
    point: dict = {"job": job.name}
    for key in keys:
        if key in asked:
            point[key] = typed(asked[key])
            continue
        if config is None:
            config = yaml.safe_load((job / "config.yaml").read_text())
        value = value_at(config, key)
        point[key] = value if isinstance(value, int | float | str | bool) else None   # a value, not a tree
    return point


def typed(value: str):
    """Numbers as numbers, so a swept rate sorts and plots as a number."""
    try:
        return yaml.safe_load(value)
    except yaml.YAMLError:
        return value


def merge(sweep: Path) -> dict:
    """Merge every finished job of a sweep folder into one tidy table, its summary and plots."""
    sweep = Path(sweep)
    if not sweep.is_dir():
        raise ConfigError(f"{sweep}: no such folder")
    jobs = job_folders(sweep)
    if not jobs:
        raise ConfigError(f"{sweep}: not a sweep folder (no job folders with .hydra/overrides.yaml)")
    overrides = {job.name: job_overrides(job) for job in jobs}
    keys = list(dict.fromkeys(k for ov in overrides.values() for k in ov))
    swept = [k for k in keys if len({ov.get(k) for ov in overrides.values()}) > 1]
    finished = [j for j in jobs if is_finished(j)]
    missing = [j.name for j in jobs if j not in finished]
    if not finished:
        raise ConfigError(f"{sweep}: no finished jobs yet ({len(missing)} unfinished)")
    # a swept organisation is already the results' organisation column
    cols = [k for k in swept if k not in RESULT_COLUMNS]
    frames, changes, totals = [], [], []
    manifests: list[dict] = []
    for job in finished:
        manifest = finished_manifest(job)
        if manifest is None:   # finished a moment ago: changed while the merge reads it
            raise ConfigError(f"{job}: its files changed while merging (its manifest no longer matches); "
                              "merge again")
        manifests.append(manifest)
    baselines = {m.get("baseline") for m in manifests} - {None}
    base = next(iter(baselines)) if len(baselines) == 1 else None
    points = {job.name: _point(job, overrides[job.name], cols) for job in finished}
    for k in cols:   # a key some jobs leave at null: the column as text, null written as YAML writes it
        if any(p[k] is None for p in points.values()):
            for p in points.values():
                p[k] = "null" if p[k] is None else str(p[k])
    for job, manifest in zip(finished, manifests):
        res = pd.read_parquet(job / "results.parquet")
        point = points[job.name]
        if "draw" in res.columns:   # parameter draws: the change per draw, then pooled
            if base is not None and base in set(res.organisation):
                per_draw = draw_changes(res, base)
                changes.append(_leading(per_draw.assign(**point), point))
                totals.append(_leading(summarise_draws(per_draw).assign(**point), point))
            res = pooled_over_draws(res, int(manifest["replications"]))
        frames.append(_leading(res.assign(**point), point))
    results = pd.concat(frames, ignore_index=True)
    by = ["job", *cols]
    summary = summarise(results, by=by)
    comparison = None
    if base is not None:
        with_base = results.groupby("job").filter(lambda g: base in set(g.organisation))
        if len(with_base):
            comparison = compare(with_base, base, by=by)
    files = []
    files += write_table(results, sweep, "sweep_results")
    files += write_table(summary, sweep, "sweep_summary")
    if comparison is not None:
        files += write_table(comparison, sweep, "sweep_comparison")
    for name in (*AREA_TABLES, *VALUE_TABLES, *ROLLOUT_TABLES):   # each point's own summaries
        parts = [_leading(pd.read_parquet(job / f"{name}.parquet").assign(**points[job.name]), points[job.name])
                 for job in finished if (job / f"{name}.parquet").is_file()]
        if parts:
            files += write_table(pd.concat(parts, ignore_index=True), sweep, f"sweep_{name}")
    if changes:   # per sweep point: the change across parameter draws and its total interval
        files += write_table(pd.concat(changes, ignore_index=True), sweep, "sweep_draw_changes")
        files += write_table(pd.concat(totals, ignore_index=True), sweep, "sweep_uncertainty")
    from sim.output import plots
    labels = _labels(finished)
    files += [str(p.relative_to(sweep)) for p in plots.sweep(summary, cols, sweep / "plots", labels)]
    if comparison is not None:   # the paired change per point: over the draws when there are draws
        shown, covers = (pd.concat(totals, ignore_index=True), "draws") if totals else (comparison, "noise")
        path = plots.sweep_changes(shown, cols, sweep / "plots" / "sweep_changes.png", labels, covers)
        files.append(str(path.relative_to(sweep)))
    info = {"swept": swept, "overrides": keys, "jobs": len(jobs), "finished": [j.name for j in finished],
            "missing": missing, "files": files, "merged": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "sha256": digests(sweep, files)}
    write_text(sweep / SWEEP_MANIFEST, json.dumps(info, indent=2))  # last: the merge's manifest
    return info


def _leading(table: pd.DataFrame, point: dict) -> pd.DataFrame:
    """``table`` with the sweep point's columns (job, swept parameters) first."""
    return table[[*point, *[c for c in table.columns if c not in point]]]


def _labels(finished: list[Path]) -> dict[str, str]:
    labels = {}
    for job in finished:
        labels.update(saved_scenario(job).labels())
    return labels



def describe(info: dict, sweep: Path) -> str:
    """One line on what a merge found, for the terminal."""
    text = (f"Merged {len(info['finished'])} of {info['jobs']} jobs into {sweep}/sweep_results.csv "
            f"(swept: {', '.join(info['swept']) or 'nothing'})")
    if info["missing"]:
        text += (f"\n{len(info['missing'])} unfinished: {', '.join(info['missing'])}; re-run the same "
                 f"command with hydra.sweep.dir={sweep} to run only those")
    return text


class MergeSweep(Callback):
    """Hydra callback: merge the sweep when the multirun ends."""

    def on_multirun_end(self, config, **_) -> None:
        """Hydra calls this when a sweep ends: merge its jobs."""
        sweep = Path(config.hydra.sweep.dir)
        try:
            info = merge(sweep)
        except ConfigError as err:   # Hydra turns a callback's exception into a warning: exit here
            exit_bad_input("factsim", f"sweep not merged: {err}")
        print(describe(info, sweep))


# factsim-merge's exit status when it merged what had finished but some jobs had not: a
# script (or a scheduler) sees that the sweep is not complete; 2 stays bad input
UNFINISHED = 3


@command("factsim-merge")
def main(argv: list[str] | None = None) -> None:
    """The factsim-merge command: exit 0 when every job was merged, 3 when some are
    unfinished (the finished ones are merged), 2 on bad input."""
    ap = argparse.ArgumentParser(prog="factsim-merge", description=__doc__.splitlines()[0],
                                 epilog=f"exit status: 0 every job merged, {UNFINISHED} some jobs unfinished "
                                        "(the finished ones merged), 2 bad input")
    ap.add_argument("sweep", type=Path, help="a sweep folder, e.g. outputs/sweep_<date>")
    args = ap.parse_args(argv)
    info = merge(args.sweep)   # bad input: command() words it
    print(describe(info, args.sweep))
    if info["missing"]:
        print(f"factsim-merge: incomplete: {len(info['missing'])} of {info['jobs']} jobs unfinished "
              f"(exit status {UNFINISHED})", file=sys.stderr)
        sys.exit(UNFINISHED)


if __name__ == "__main__":
    main()
