"""Write a run's folder: resolved config, provenance, tidy tables, plots, manifest.

The manifest (``manifest.json``) is written last, with a digest of every file: a
folder without a valid manifest whose files all match is not a finished run, whatever
else it holds. Every file is written to a temporary name and renamed into place
(:mod:`sim.output.files`). Tables are written as Parquet and CSV.
"""
from __future__ import annotations

import importlib
import json
import platform
import shutil
import time
from collections.abc import Sequence
from functools import partial
from importlib import metadata
from pathlib import Path

import pandas as pd
import yaml

from sim.config.params import Scenario
from sim.experiments.prepost import (
    decompose,
    decompose_draws,
    summarise_decomposition,
    summarise_decomposition_draws,
)
from sim.experiments.results import compare, interval_text, summarise
from sim.experiments.rollout import summarise_designs, summarise_projection
from sim.experiments.runner import StudyResult
from sim.experiments.uncertainty import (
    as_comparison,
    decision_probabilities,
    draw_changes,
    drivers,
    pooled_over_draws,
    summarise_draws,
)
from sim.model import CORE
from sim.output import numbers
from sim.output.drawing import PlotDrawer
from sim.output.files import digests, read_manifest, replacing, write_text
from sim.output.maps import can_draw
from sim.output.words import FIGURE, SHARES
from sim.output.words import METRICS as KEY_METRICS

MANIFEST = "manifest.json"
SWEEP_MANIFEST = "sweep.json"   # a merged sweep's manifest (sim.output.merge)

HEADLINE = [
    ("bed_days_per_citizen_year", "Bed days / citizen-year"),
    ("admissions_per_citizen_year", "Admissions / citizen-year"),
    ("coercive_admissions_per_citizen_year", "Coercive admissions / c-y"),
    ("coercive_bed_days_per_citizen_year", "Coercive bed days / c-y"),
    ("bed_blocking_days_per_citizen_year", "Bed-blocking days / c-y"),
    ("days_disengaged_per_citizen_year", "Days disengaged / c-y"),
    ("handovers", "Hand-overs"),
    ("scaleups_refused", "Scale-ups refused"),
    ("staff_hours_per_citizen_year", "Staff hours / c-y"),
    ("staff_utilisation", "Staff utilisation"),
    ("contacts_lost_share", "Contacts lost (share)"),
    ("caseload_per_case_manager", "Caseload per case manager"),
]


def write_table(df: pd.DataFrame, folder: Path, name: str, csv: bool = True,
                writer: PlotDrawer | None = None) -> list[str]:
    """Write ``df`` as Parquet (and CSV); return the file names written. ``writer``: the
    run's worker processes, which write the CSV file (pandas formats every number, the
    slow part of a large table) while this process goes on."""
    with replacing(folder / f"{name}.parquet") as tmp:
        df.to_parquet(tmp, index=False)
    files = [f"{name}.parquet"]
    if csv:
        if writer is None:
            write_csv(df, folder / f"{name}.csv")
            files.append(f"{name}.csv")
        else:
            files += writer.write(partial(write_csv, df), f"{name}.csv")
    return files


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` as CSV (no index) to ``path``, atomically."""
    with replacing(path) as tmp:
        df.to_csv(tmp, index=False)


def write_yaml(folder: Path, name: str, data: dict) -> str:
    """Write ``data`` as YAML; return the file name."""
    write_text(folder / name, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    return name


def start_folder(folder: Path) -> None:
    """Create ``folder``, or mark an existing one unfinished until its manifest is rewritten."""
    folder.mkdir(parents=True, exist_ok=True)
    unmark(folder)


def write_manifest(folder: Path, tool: str, started: float, files: list[str], **fields) -> None:
    """Written last: the tool, versions, run time, the run's own ``fields``, its files and
    the SHA-256 of each (what :func:`is_complete` checks)."""
    manifest = {
        "tool": tool, "version": _version("factsim"),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S"), "seconds": round(time.time() - started, 2),
        **fields, "files": files, "sha256": digests(folder, files),
        "python": platform.python_version(),
        "core": CORE.kind,   # pure Python or compiled: the same numbers, bit for bit
        "packages": {p: _version(p) for p in ("simpy", "numpy", "pandas", "hydra-core")},
    }
    write_text(folder / MANIFEST, json.dumps(manifest, indent=2))


def write_run(folder: Path, scenario: Scenario, config: dict, provenance: list[dict],
              study: StudyResult, started: float, overrides: Sequence[str] = (),
              n_jobs: int | None = None) -> dict:
    """Write a run's folder: config, provenance, tidy tables, plots, and the manifest last
    (with the command-line ``overrides`` the run was asked for). The plots are drawn in
    up to ``n_jobs`` worker processes (the scenario's by default) while the tables are
    written; the manifest waits for them."""
    start_folder(folder)
    draw = PlotDrawer(folder, scenario.plots, scenario.n_jobs if n_jobs is None else n_jobs)
    try:
        tables, files = _write_run(folder, scenario, config, provenance, study, draw)
        draw.wait()
    except BaseException:
        draw.abandon()
        raise
    write_manifest(folder, "factsim", started, files,
                   organisations=[o.name for o in scenario.organisations],
                   baseline=scenario.baseline.name if scenario.baseline else None,
                   population=scenario.population.name, replications=scenario.replications,
                   seed=scenario.seed, study=scenario.study.name if scenario.study else None,
                   overrides=list(overrides))
    return tables


def _plots(module: str = "plots"):
    """A plotting module, imported where its plot is drawn (matplotlib loads only there)."""
    return importlib.import_module(f"sim.output.{module}")


def _write_run(folder: Path, scenario: Scenario, config: dict, provenance: list[dict],
               study: StudyResult, draw: PlotDrawer) -> tuple[dict, list[str]]:
    """Everything of :func:`write_run` but the manifest: the tables and the file names."""
    files = [write_yaml(folder, "config.yaml", config)]
    files += write_table(pd.DataFrame(provenance), folder, "provenance")
    pooled = pooled_over_draws(study.results, scenario.replications)
    summary = summarise(pooled)
    files += write_table(study.results, folder, "results")
    files += write_table(summary, folder, "summary")
    comparison = uncertainty = decisions = None
    baseline, spec, design = scenario.baseline, scenario.uncertainty, scenario.study
    if baseline is not None:
        comparison = compare(pooled, baseline.name)
        files += write_table(comparison, folder, "comparison")
    if study.draws is not None:
        files += write_table(study.draws, folder, "draws")
        if baseline is not None and spec is not None:
            changes = draw_changes(study.results, baseline.name)
            uncertainty = summarise_draws(changes)
            decisions = decision_probabilities(changes, spec.reduction_pct)
            files += write_table(changes, folder, "draw_changes")
            files += write_table(uncertainty, folder, "uncertainty_summary")
            files += write_table(decisions, folder, "decisions")
            files += write_table(drivers(study.draws, changes), folder, "uncertainty_drivers")
            files += draw(lambda p: _plots().uncertainty(
                changes, scenario.labels(), p, title=f"{scenario.population.name}: {spec.draws} "
                f"parameter draws x {scenario.replications} replications"), "uncertainty.png")
    labels = scenario.labels()
    files += draw(lambda p: _plots().comparison(
        summary, labels, p, title=f"{scenario.population.name}: mean per replication with 95 % interval "
        f"({scenario.replications} replications, {scenario.results_years:g} years)"), "comparison.png")
    files += draw(lambda p: _plots().occupancy(study.timeseries, labels, p, beds=scenario.population.beds),
                  "occupancy.png")
    files += draw(lambda p: _plots().outcomes(
        summary, labels, p, title=f"{scenario.population.name}: all outcomes, mean with 95 % interval",
        currency=scenario.costs.currency if scenario.costs else None), "outcomes.png")
    if comparison is not None and baseline is not None:   # the paired changes, as the report states them
        shown = comparison if uncertainty is None else as_comparison(uncertainty, baseline.name)
        files += draw(lambda p: _plots().changes(shown, labels, p, list(KEY_METRICS)), "changes.png")
    if study.events is not None and len(study.events):
        first = study.events[study.events.replication == 0]   # what the plot shows: less to hand over
        files += draw(lambda p: _plots().pathways(first, labels, p, seed=scenario.seed), "pathways.png")
    prepost = prepost_draws = None
    counts = study.prepost
    if counts is not None and design is not None and baseline is not None:
        files += write_table(counts, folder, "prepost_counts")
        parts = decompose(pooled_over_draws(counts, scenario.replications), baseline.name)
        prepost = summarise_decomposition(parts)
        files += write_table(parts, folder, "prepost_decomposition")
        files += write_table(prepost, folder, "prepost_summary")
        ratios = prepost[prepost.quantity.isin(["observed_ratio", "counterfactual_ratio",
                                                "organisation_effect_ratio"])]
        files += draw(lambda p: _plots("study_plots").ratio_panels(
            ratios, p, title=FIGURE["en"]["prepost_title"].format(
                study=design.label, org=labels[scenario.organisation.name], reps=scenario.replications,
                cohort=numbers.number(counts.cohort.mean(), "en", 0))), "prepost.png")
        if "draw" in counts.columns:   # the decomposition per parameter draw
            by_draw = decompose_draws(counts, baseline.name)
            prepost_draws = summarise_decomposition_draws(by_draw)
            files += write_table(by_draw, folder, "prepost_draws")
            files += write_table(prepost_draws, folder, "prepost_uncertainty")
    rollout: dict[str, pd.DataFrame | None] = {"projection": None, "designs": None}
    if study.projection is not None and scenario.rollout is not None:
        written, rollout = write_projection(folder, scenario, study, draw)
        files += written
    # the large tables last, while the plots asked for above are drawn; the CSV files of the
    # two largest are written by the workers (if any) after the plots, while this process
    # writes their Parquet files
    files += write_areas(folder, scenario, study, labels, draw)
    costs = payer_costs(scenario, study)   # money by payer, from the tables just written
    if costs is not None:
        files += write_money(folder, scenario, costs)
    objective = None
    if scenario.objective is not None:   # what an optimising sweep reads from the job's folder
        objective = objective_tables(scenario, study, costs)
        for name, table in objective.items():
            files += write_table(table, folder, name)
    value = value_tables(scenario, study)
    for name, table in value.items():
        files += write_table(table, folder, name)
    if "acceptability" in value:
        axis = value["acceptability"]
        files += draw(lambda p: _plots().acceptability(axis, labels, p), "acceptability.png")
    if study.capacity is not None:
        files += write_table(study.capacity, folder, "capacity")
    if study.events is not None:
        files += write_table(study.events, folder, "events", csv=False)
    files += write_table(study.timeseries, folder, "timeseries", writer=draw)
    files += write_table(study.citizens, folder, "citizens", writer=draw)
    return {"summary": summary, "comparison": comparison, "prepost": prepost,
            "prepost_draws": prepost_draws, "uncertainty": uncertainty, "decisions": decisions,
            "objective": objective["objective"] if objective is not None else None,
            "best": value.get("best_probability"), "value": value.get("value_of_information"), **rollout}, files


def write_projection(folder: Path, scenario: Scenario, study: StudyResult,
                     draw: PlotDrawer) -> tuple[list[str], dict[str, pd.DataFrame | None]]:
    """A roll-out's projection by calendar year (each arm, and the plan's difference with its
    interval), its fan chart and, when they ran, the evaluation designs' rows and summary."""
    rollout = scenario.rollout
    assert study.projection is not None and rollout is not None
    order = ["draw", "arm", "replication", "year", "area", "metric", "value"]
    projection = study.projection.assign(draw=study.projection.get("draw", 0))[order]
    summary = summarise_projection(projection, scenario.replications)
    files = write_table(projection, folder, "projection")
    files += write_table(summary, folder, "projection_summary")
    starts = _plots("projection").start_years(scenario)
    title = f"rollout={rollout.name}: plan minus no roll-out, region"
    files += draw(lambda p: _plots("projection").fan_chart(projection, starts, p, title=title), "projection.png")
    tables = {"projection": summary, "designs": None}
    if study.designs is not None and len(study.designs):
        designs = study.designs.assign(draw=study.designs.get("draw", 0))
        files += write_table(designs[["draw", *[c for c in designs.columns if c != "draw"]]], folder, "designs")
        tables["designs"] = summarise_designs(study.designs)
        files += write_table(tables["designs"], folder, "designs_summary")
        if len(tables["designs"]):
            shown = tables["designs"]
            files += draw(lambda p: _plots("projection").designs_plot(
                shown, p, title=f"rollout={rollout.name}: evaluation designs"), "designs.png")
    return files, tables


def write_areas(folder: Path, scenario: Scenario, study: StudyResult, labels: dict[str, str],
                draw) -> list[str]:
    """The outcomes per municipality and each team's own figures, every replication and
    summarised (with the paired change per municipality), the catchment's geography, and
    the map of the layout when the towns have positions (``draw``: the run's plot writer);
    returns the file names."""
    files = []
    summary = None
    if study.municipalities is not None:
        pooled = pooled_over_draws(study.municipalities, scenario.replications)
        summary = summarise(pooled, by=["municipality"])
        files += write_table(study.municipalities, folder, "municipalities")
        files += write_table(summary, folder, "municipality_summary")
        if scenario.baseline is not None:
            files += write_table(compare(pooled, scenario.baseline.name, by=["municipality"]), folder,
                                 "municipality_comparison")
    if study.teams is not None:
        pooled = pooled_over_draws(study.teams, scenario.replications)
        files += write_table(study.teams, folder, "teams")
        files += write_table(summarise(pooled, by=["network", "team", "team_kind", "site", "base"]), folder,
                             "team_summary")
    if study.geography is not None:
        files += write_table(study.geography, folder, "geography")
        if summary is not None and study.capacity is not None and can_draw(study.geography):
            files += draw(lambda p: _plots("maps").layout_map(study.geography, study.capacity, summary, labels, p),
                          "layout_map.png")
    return files


def payer_costs(scenario: Scenario, study: StudyResult) -> pd.DataFrame | None:
    """Every replication's money a year by payer and item (:func:`sim.output.money.payer_costs`),
    or None without an economy (no prices)."""
    from sim.config.units import DAYS_PER_YEAR
    from sim.output import money

    if scenario.economy is None:
        return None
    start, end = scenario.window
    return money.payer_costs(study.results, study.municipalities, study.teams, study.capacity, scenario.economy,
                             (end - start) / DAYS_PER_YEAR)


def write_money(folder: Path, scenario: Scenario, costs: pd.DataFrame) -> list[str]:
    """What each organisation costs the region and each municipality a year (:mod:`sim.output.money`):
    every replication's money by payer and item (``costs``), and the payers' summary and comparison."""
    from sim.output import money

    files = write_table(costs, folder, "payer_costs")
    base = scenario.baseline.name if scenario.baseline is not None else None
    for name, table in money.payer_tables(costs, base, scenario.replications).items():
        files += write_table(table, folder, name)
    return files


def objective_tables(scenario: Scenario, study: StudyResult,
                     costs: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The run's objective and constraints (:mod:`sim.output.objective`): every replication's
    values and their summary (``costs``: the run's :func:`payer_costs`, worked out if not given)."""
    from sim.output import objective

    if costs is None:
        costs = payer_costs(scenario, study)
    return objective.evaluate(scenario, study.results, study.teams, study.capacity, costs)


def value_tables(scenario: Scenario, study: StudyResult) -> dict[str, pd.DataFrame]:
    """Net benefit, the probability each organisation is best, the acceptability curve and
    the value of information (:mod:`sim.output.value`), for a run with parameter draws."""
    from sim.config.units import DAYS_PER_YEAR
    from sim.output import value

    start, end = scenario.window
    return value.value_tables(scenario, study.results, study.municipalities, study.teams, study.capacity,
                              study.draws, (end - start) / DAYS_PER_YEAR)


def value_text(best: pd.DataFrame, voi: pd.DataFrame, labels: dict[str, str], valuation) -> str:
    """The probability each organisation has the highest net benefit, EVPI and the groups' EVPPI."""
    money = valuation.currency
    nb = best[best.criterion == "net_benefit"]
    lines = ["  highest net benefit in " + "; ".join(
        f"{labels.get(o, o)} {b:g} of {n} draws ({100 * p:.0f} %)"
        for o, b, n, p in zip(nb.organisation, nb.best_in, nb.draws, nb.probability))]
    years = f"{valuation.horizon_years:g} years, {100 * valuation.discount_rate:g} % discount"
    for _, r in voi[voi.kind.isin(["evpi", "all", "group"])].iterrows():
        name = {"evpi": "EVPI", "all": "EVPPI, every parameter"}.get(r.kind, f"EVPPI, {r['name']}")
        if pd.isna(r.value):
            lines.append(f"  {name:28s} n/a (too few draws)")
            continue
        fit = "" if pd.isna(r.loo_r_squared) else f"; LOO R2 {r.loo_r_squared:.2f}{'' if r.reliable else ', rough'}"
        lines.append(f"  {name:28s} {r.value:8,.0f} {money} per citizen-year; region "
                     f"{r.value_region / 1e6:,.1f} M {money} over {years}{fit}")
    return "\n".join(lines)


def uncertainty_text(uncertainty: pd.DataFrame, decisions: pd.DataFrame, labels: dict[str, str],
                     reduction_pct: float) -> str:
    """The headline changes with parameter uncertainty, and the decision probabilities."""
    lines = []
    shown = {m: n for m, n in HEADLINE}
    for org, g in uncertainty.groupby("organisation", sort=False):
        lines.append(f"{labels.get(org, org)}: change across parameter draws, mean (95 % of draws), "
                     "Monte Carlo share of the variance")
        for metric, name in shown.items():
            r = g[g.metric == metric]
            if len(r):
                r = r.iloc[0]
                mc = "n/a" if pd.isna(r.monte_carlo_share) else f"{100 * r.monte_carlo_share:.0f} %"
                change = (points(r.difference, r.difference_lower, r.difference_upper, width=5)
                          if metric in SHARES else
                          f"{r.change_pct:+5.0f} % ({r.change_pct_lower:+.0f} to {r.change_pct_upper:+.0f})")
                lines.append(f"  {name:28s} {change}   MC {mc}")
        d = decisions[decisions.organisation == org].set_index("decision").probability
        words = {"bed_days_fall": "bed days fall", "bed_days_fall_by_threshold":
                 f"bed days fall by at least {reduction_pct:g} %", "staff_hours_rise": "staff hours rise",
                 "coercive_admissions_fall": "coercive admissions fall"}
        lines.append("  probability that " + "; ".join(
            f"{words[k]}: {100 * v:.0f} %" for k, v in d.items()))
    return "\n".join(lines)


def finished_manifest(folder: Path) -> dict | None:
    """The manifest of a finished run or tool folder, or None: missing, empty, corrupted,
    or a file it lists is missing or changed since (a half-written folder never counts)."""
    return read_manifest(folder, MANIFEST)


def is_complete(folder: Path) -> bool:
    """Whether ``folder`` holds a finished run (a valid manifest that matches its files)."""
    return finished_manifest(folder) is not None


def saved_scenario(folder: Path) -> Scenario:
    """The validated Scenario of a finished run, from the config.yaml it saved."""
    from sim.config.load import load
    return load(yaml.safe_load((folder / "config.yaml").read_text()))[0]


def already_finished(folder: Path, config: dict, overrides: list[str]) -> bool:
    """A finished run of exactly this configuration, asked for with the same ``overrides``,
    is in ``folder`` (resuming a sweep)."""
    manifest = finished_manifest(folder)
    if manifest is None or "config.yaml" not in manifest["sha256"]:
        return False
    return manifest.get("overrides") == list(overrides) and holds_config(folder, config)


def holds_config(folder: Path, config: dict) -> bool:
    """Whether the run in ``folder`` saved exactly ``config`` (compared as YAML reads it)."""
    saved = yaml.safe_load((folder / "config.yaml").read_text())
    return saved == yaml.safe_load(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))


def unmark(folder: Path) -> None:
    """Remove ``folder``'s manifest: whatever else it holds, it is not finished."""
    (folder / MANIFEST).unlink(missing_ok=True)


def discard_incomplete(folder: Path) -> None:
    """Remove a run folder that this run created and never finished."""
    if folder.is_dir() and not is_complete(folder):
        shutil.rmtree(folder, ignore_errors=True)


def terminal_table(summary: pd.DataFrame, comparison: pd.DataFrame | None,
                   labels: dict[str, str]) -> str:
    """The headline outcomes per organisation and the change against the baseline, for the terminal."""
    orgs = list(dict.fromkeys(summary["organisation"]))
    rows = []
    for metric, name in HEADLINE:
        row = {"outcome": name}
        for org in orgs:
            s = summary[(summary.organisation == org) & (summary.metric == metric)]
            if len(s):
                r = s.iloc[0]
                row[labels.get(org, org)] = interval_text(r["mean"], r["ci_lower"], r["ci_upper"])
        if comparison is not None:
            for _, c in comparison[comparison.metric == metric].iterrows():
                row[f"change vs {labels.get(c['baseline'], c['baseline'])}"] = (
                    points(c["difference"], c["difference_ci_lower"], c["difference_ci_upper"])
                    if metric in SHARES else
                    "n/a (zero in the baseline)" if pd.isna(c["change_pct"]) else
                    f"{c['change_pct']:+.0f} % (no interval: one replication)"
                    if pd.isna(c["change_pct_ci_lower"]) else
                    f"{c['change_pct']:+.0f} % ({c['change_pct_ci_lower']:+.0f} to "
                    f"{c['change_pct_ci_upper']:+.0f})")
        rows.append(row)
    with pd.option_context("display.max_columns", None, "display.width", 200):
        return pd.DataFrame(rows).set_index("outcome").to_string()


def points(difference: float, lower: float, upper: float, width: int = 0) -> str:
    """A share's change in percentage points with its interval (none from one replication)."""
    text = f"{100 * difference:+{width}.1f} pp"
    if pd.isna(lower):
        return f"{text} (no interval: one replication)"
    return f"{text} ({100 * lower:+.1f} to {100 * upper:+.1f})"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def link_latest(folder: Path) -> None:
    """Point ``<parent>/latest`` at ``folder`` (a finished run)."""
    link = folder.parent / "latest"
    try:
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(folder.name)
    except OSError:
        pass  # a file system without links: the folder is printed anyway
