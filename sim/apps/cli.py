"""Command line: ``python -m sim`` (or ``factsim``), configured by Hydra.

    python -m sim                                      # the default study
    python -m sim organisation=fact_regional population=horsens_klyngen replications=50 seed=7
    python -m sim -m organisation=fact_regional,fact_crosssector   # a sweep (joblib launcher)

Bad input ends with one line naming the key, exit status 2, and no run folder.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from sim.config import paths, preflight
from sim.config.errors import ConfigError, command
from sim.config.load import load, to_container
from sim.experiments.prepost import text_table as study_table
from sim.experiments.runner import run_study
from sim.output.run_folder import (
    already_finished,
    discard_incomplete,
    link_latest,
    terminal_table,
    uncertainty_text,
    unmark,
    value_text,
    write_run,
)

SCENARIOS = str(paths.SCENARIOS)


def task(cfg: DictConfig) -> float | None:
    """One factsim job (Hydra calls it once per run or sweep point): validate, run, write, print.

    Returns the objective's mean when the scenario has one (``objective=...``), which an
    optimising sweeper reads (it reads the job folder's ``objective`` table as well)."""
    started = time.time()
    hc = HydraConfig.get()
    folder = Path(hc.runtime.output_dir)
    sweeping = hc.mode == RunMode.MULTIRUN
    try:
        scenario, provenance = load(cfg, hc.overrides.task)
    except ConfigError:
        _discard(folder, sweeping)
        raise
    config = to_container(cfg)
    asked = list(hc.overrides.task)
    if sweeping and already_finished(folder, config, asked):
        print(f"[job {hc.job.num}] already finished in {folder}: kept")
        return None
    try:
        # in a sweep the launcher runs jobs in parallel: replications run in series inside a job
        study = run_study(scenario, progress=False, n_jobs=1) if sweeping else run_study(scenario)
        tables = write_run(folder, scenario, config, provenance, study, started, asked,
                           n_jobs=1 if sweeping else None)
    except BaseException:
        _discard(folder, sweeping)
        raise
    capacity = study.capacity
    for warning in capacity.warning if capacity is not None else ():   # staffing that cannot carry the contacts
        if warning:
            print(f"factsim: warning: {warning}", flush=True)
    objective = tables.get("objective")
    value = None
    if objective is not None:
        row = objective[objective.kind == "objective"].iloc[0]
        value = float(row["mean"])
    if sweeping:
        print(f"[job {hc.job.num}] {' '.join(hc.overrides.task)}: {scenario.replications} "
              f"replications in {time.time() - started:.1f} s -> {folder}", flush=True)
        return value
    labels = scenario.labels()
    if scenario.rollout is not None:
        print(f"\n{scenario.population.name}: {scenario.replications} replications, "
              f"{scenario.rollout.first_year}-{scenario.rollout.last_year} (after {scenario.warmup_years:g} "
              f"warm-up), the plan against no roll-out over the whole projection, mean (95 % interval)")
    elif scenario.study is None:
        print(f"\n{scenario.population.name}: {scenario.replications} replications x "
              f"{scenario.results_years:g} years (after {scenario.warmup_years:g} warm-up), "
              f"mean (95 % interval)")
    else:
        print(f"\n{scenario.population.name}, whole catchment in the {scenario.study.post_months:g} "
              f"months after inclusion (enrolled citizens moved in the "
              f"{labels[scenario.organisation.name]} arm), mean (95 % interval)")
    print(terminal_table(tables["summary"], tables["comparison"], labels))
    u, design, baseline = scenario.uncertainty, scenario.study, scenario.baseline
    if tables["uncertainty"] is not None and u is not None:
        print(f"\nWith parameter uncertainty ({u.name}: {u.draws} draws x {scenario.replications} "
              "replications; the intervals cover what is not known about the parameters and the "
              "simulation's noise):")
        print(uncertainty_text(tables["uncertainty"], tables["decisions"], labels, u.reduction_pct))
        if tables["value"] is not None and scenario.valuation is not None:
            print(f"Value of information (net benefit at valuation={scenario.valuation.name}):")
            print(value_text(tables["best"], tables["value"], labels, scenario.valuation))
    if tables["prepost"] is not None and design is not None and baseline is not None:
        print(f"\n{design.label}: the enrolled cohort, after/before ratios "
              f"({labels[scenario.organisation.name]} vs staying in "
              f"{labels[baseline.name]}), mean (95 % interval)")
        print(study_table(tables["prepost"]))
        if tables["prepost_draws"] is not None and u is not None:
            print(f"\nThe same across {u.draws} parameter draws (each draw's cohort "
                  "pooled over its replications), mean (95 % of draws):")
            print(study_table(tables["prepost_draws"], "lower", "upper"))
    rollout = scenario.rollout
    if tables.get("projection") is not None and rollout is not None:
        from sim.output.projection import projection_text, sentences
        print(f"\n{rollout.label}: the plan minus no roll-out, whole catchment, by calendar year "
              f"(mean and 95 % interval over the {'parameter draws' if u is not None else 'replications'}):")
        print(projection_text(tables["projection"]))
        if tables.get("designs") is not None and len(tables["designs"]):
            print("\nEvaluation designs on the simulated roll-out (bed-day ratio, with the team / without):")
            print("\n".join(f"  {line}" for line in sentences(tables["designs"], "en")))
    if objective is not None:
        print("\n" + objective_text(objective))
    print(f"\nTables and plots: {folder}  ({time.time() - started:.1f} s)")
    _link_latest(folder)
    return value


def objective_text(objective) -> str:
    """The objective and each constraint with its interval, one line each (a single run)."""
    lines = ["Objective and constraints, mean (95 % interval):"]
    for r in objective.itertuples():
        what = f"{r.sense} {r.bound:g}: {'kept' if r.satisfied else 'broken'}" if r.kind == "constraint" else r.sense
        lines.append(f"  {r.name:<16} {r.mean:,.4g} ({r.ci_lower:,.4g} to {r.ci_upper:,.4g}, over the "
                     f"{'parameter draws' if r.covers == 'draws' else 'replications'})  {r.of}, {what}")
    return "\n".join(lines)


def _discard(folder: Path, sweeping: bool) -> None:
    """A single run removes its unfinished folder; a sweep's job keeps Hydra's record of
    what it was asked (.hydra) without a manifest, so the merge lists it as unfinished."""
    if sweeping:
        unmark(folder)
    else:
        discard_incomplete(folder)


def _link_latest(folder: Path) -> None:
    """Point ``<parent>/latest`` at the newest finished run (single runs only)."""
    if HydraConfig.get().mode == RunMode.RUN:
        link_latest(folder)


_hydra_main = hydra.main(config_path=SCENARIOS, config_name="config", version_base="1.3")(task)


HELP = """\
factsim {version}: the same citizens with severe mental illness under different
organisations of care (common random numbers), compared on bed days, admissions,
coercion, drop-out and staffing.

usage: factsim [GROUP=CHOICE ...] [KEY=VALUE ...] [-m] [--config-dir DIR]

Config groups and their choices (shipped in {scenarios}):
{groups}

Run settings: seed, replications, warmup_years, results_years, n_jobs, event_log, progress, plots.
Any parameter is KEY=VALUE with its dotted name (factsim --cfg job prints them all).

Examples:
  factsim                                             # cross-sectoral FACT vs fragmented care
  factsim organisation=fact_regional population=horsens_klyngen replications=50
  factsim -m organisation=fact_regional,fact_crosssector seed=1,2   # a sweep
  factsim study=norway_prepost                        # the Norwegian pre/post design
  factsim --config-dir ./my_scenarios population=mytown   # your own YAML files

Outputs go to outputs/run_<date>_<time>/ (tables, plots, manifest); a bad value ends
in one line naming the key, exit status 2. Hydra's own options: factsim --hydra-help.
"""


def help_text() -> str:
    """The project's own short help: what factsim does, its config groups, examples."""
    from sim import __version__

    folder = Path(SCENARIOS)
    groups = []
    for group in sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name != "hydra"):
        names = ", ".join(preflight.choices([folder], group))
        key = f"{group}, {group}@baseline" if group in ("organisation", "layout") else group
        groups.append(f"  {key}: {names}")
    return HELP.format(version=__version__, scenarios=folder, groups="\n".join(groups))


def own_options() -> argparse.ArgumentParser:
    """factsim's own options, read before Hydra sees the command line: ``--help`` (the
    project's short help instead of Hydra's) and ``--version`` (factsim's version, from
    the installed package's metadata, instead of Hydra's). Everything else is Hydra's."""
    from sim import __version__

    parser = argparse.ArgumentParser(prog="factsim", add_help=False, allow_abbrev=False)
    parser.add_argument("-h", "--help", action="store_true")
    parser.add_argument("--version", action="version", version=f"factsim {__version__}")
    return parser


@command("factsim")
def main() -> None:
    """The factsim command: its own --help and --version, a preflight of every job, then Hydra.

    Bad input ends in one line and exit 2, Ctrl-C in one line and exit 130 (:func:`command`).
    """
    argv = sys.argv[1:]
    own, _ = own_options().parse_known_args(argv)   # --version prints and exits here
    if own.help:
        print(help_text())
        return
    preflight.check(argv, Path(SCENARIOS))
    os.environ["HYDRA_FULL_ERROR"] = "1"   # Hydra raises instead of printing; command() words it
    try:
        _hydra_main()
    except ValueError as err:
        # Hydra's log handler cannot open its file in the run folder (logging raises its own
        # ValueError from the OSError): the file named in one line, as any unwritable folder
        cause = err.__cause__
        if isinstance(cause, OSError) and "handler" in str(err):
            raise ConfigError(f"{cause.filename}: {cause.strerror}; the run folder's log cannot be written "
                              "(choose another folder with hydra.run.dir=...)") from None
        raise


if __name__ == "__main__":
    main()
