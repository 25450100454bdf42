"""``factsim-calibrate``: fit model parameters to several kinds of evidence at once by
ABC-SMC (pyabc; Toni et al. 2009, Klinger et al. 2018).

Each target set is one study design the model runs (:mod:`sim.research.designs`): the
Norwegian pre/post ratios, Danish baseline levels and shapes, and controlled
(side-by-side) effects; one weighted distance combines them (:mod:`sim.research.targets`).
Priors, target sets and the budget are YAML in ``calibration/``; a researcher's own
study can come as a file (``extra_targets``). Each simulation's seed is a hash of its
parameter values, so the simulator is a deterministic function and never touches
global random state; pyabc's own proposals use numpy's global state, seeded once here,
so a run on the single-core sampler repeats exactly.

Writes: the pyabc database (resume; inspect with ``pyabc.History``), the posterior
(particles and weighted quantiles, pair plot), a posterior predictive check of every
target of every set, a prior predictive check with the targets' pull on each parameter,
and the calibrated parameters as Hydra config files.
"""
from __future__ import annotations

import copy
import logging
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml

from sim.config.errors import ConfigError, command
from sim.config.load import to_container
from sim.config.paths import SCENARIOS
from sim.config.validate import build, nonneg, pos
from sim.output.files import write_text
from sim.output.run_folder import (
    discard_incomplete,
    link_latest,
    start_folder,
    write_manifest,
    write_table,
    write_yaml,
)
from sim.research.designs import Designs, check_parameters, design_configs, safe
from sim.research.settings import Range, compose_tool, save_settings, without_sources
from sim.research.targets import (
    Distance,
    TargetSet,
    check_target_sets,
    observed,
    read_target_file,
    scaled_miss,
)

OUTPUTS = Path("outputs") / "calibration"


Prior = Range  # a uniform prior


@dataclass(frozen=True)
class Priors:
    """The parameters to calibrate, each with a uniform prior."""
    parameters: dict[str, Prior]

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        if not self.parameters:
            raise ConfigError("priors.parameters: name at least one parameter to fit")


@dataclass(frozen=True)
class Abc:
    """The ABC-SMC budget and sampler (pyabc)."""
    sampler: Literal["multicore", "single"]
    population_size: int = pos()
    max_generations: int = pos()
    min_epsilon: float = nonneg()
    max_simulations: int = pos()
    max_walltime_minutes: float = pos()
    n_procs: int = pos()
    seed: int = nonneg()


@dataclass(frozen=True, kw_only=True)   # keywords only: the required abc after fields with defaults
class Settings:
    """Everything one calibration needs, from calibration/config.yaml."""
    targets: dict[str, TargetSet]
    priors: Priors
    scenario: tuple[str, ...]
    replications_per_simulation: int = pos()
    posterior_predictive_draws: int = pos()
    prior_predictive_draws: int = nonneg(default=0)
    abc: Abc
    extra_targets: tuple[str, ...] = ()
    out: str | None = None
    resume: str | None = None

    @property
    def name(self) -> str:
        """The target sets' names, for file names and labels."""
        return "+".join(self.targets)


# -- configuration -----------------------------------------------------------------------
def _plain(data: dict) -> dict:
    """The settings without sources, in the form :func:`build` takes."""
    plain = without_sources(data, ("priors",))
    targets = data.get("targets") or {}
    if not isinstance(targets, dict):
        raise ConfigError("targets: must be a mapping of target-set name to its set "
                          "(choose sets by name: targets=[strategy_paper,dk_baseline])")
    for name, tset in targets.items():   # a set given as text or a list on the command line
        if tset is not None and not isinstance(tset, dict):
            raise ConfigError(f"targets.{name}: must be a mapping with design, label and targets "
                              f"(got {type(tset).__name__}); a file of calibration/targets/ holds one")
    plain["targets"] = {k: without_sources(v or {}) for k, v in targets.items()}
    return plain


def _with_extra_targets(data: dict) -> dict:
    """Add each ``extra_targets`` file as a target set named after the file's stem."""
    extra = data.get("extra_targets") or []
    if isinstance(extra, str):
        extra = [extra]
    data = dict(data, targets=dict(data.get("targets") or {}), extra_targets=list(extra))
    for path in extra:
        name, _, raw = read_target_file(path)
        if name in data["targets"]:
            raise ConfigError(f"extra_targets: {path}: a target set named {name} is already chosen "
                              "(rename the file)")
        data["targets"][name] = raw
    return data


def _settings_from(data: dict) -> Settings:
    settings = build(Settings, _plain(data))
    check_target_sets(settings.targets)
    return settings


def compose_settings(overrides: list[str]) -> tuple[Settings, dict]:
    """Compose calibration/config.yaml with command-line overrides and any extra target
    files; validate."""
    data = _with_extra_targets(compose_tool("config", overrides))
    return _settings_from(data), data


def base_configs(settings: Settings) -> dict[str, dict]:
    """Each target set's scenario, composed from scenarios/ and checked as factsim would;
    every prior range checked against the parameter's own validation."""
    configs = design_configs(list(settings.scenario), settings.targets)
    check_parameters(configs, settings.priors.parameters, "priors.parameters")
    return configs


def simulator(settings: Settings, configs: dict[str, dict]) -> Designs:
    """The calibration's simulator: a particle's parameters to every target set's statistics."""
    return Designs(configs, settings.targets, list(settings.priors.parameters),
                   settings.replications_per_simulation, settings.abc.seed)


def resumed_settings(folder: Path, argv: list[str]) -> tuple[Settings, dict]:
    """A resumed run keeps its saved targets, priors and scenario; only budgets may change."""
    if not (folder / "abc.db").is_file() or not (folder / "config.yaml").is_file():
        raise ConfigError(f"resume={folder}: no abc.db and config.yaml there to continue "
                          "(give a folder written by factsim-calibrate)")
    from omegaconf import OmegaConf

    allowed = ("abc.", "posterior_predictive_draws", "resume")
    changes = [a for a in argv if not a.startswith("resume=")]
    for arg in changes:
        if not arg.startswith(allowed) or arg.startswith(("abc.seed", "abc.population_size")):
            raise ConfigError(f"{arg.partition('=')[0]}: a resumed calibration keeps the settings "
                              f"saved in {folder / 'config.yaml'}; only abc limits "
                              "(abc.max_generations, abc.max_simulations, ...) may change")
    saved = OmegaConf.create(yaml.safe_load((folder / "config.yaml").read_text()))
    merged = OmegaConf.merge(saved, OmegaConf.from_dotlist(changes), {"resume": str(folder)})
    data = to_container(merged)
    return _settings_from(data), data


# -- posterior tables -----------------------------------------------------------------------
def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The weighted quantile ``q`` of ``values`` (midpoint interpolation)."""
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cum, v))


def posterior_summary(particles: pd.DataFrame, priors: Priors) -> pd.DataFrame:
    """Per parameter: prior range, weighted mean, median and 95 % interval of the posterior."""
    w = particles["weight"].to_numpy(float)
    rows = []
    for name, prior in priors.parameters.items():
        v = particles[name].to_numpy(float)
        rows.append({"parameter": name, "prior_low": prior.low, "prior_high": prior.high,
                     "mean": float(np.average(v, weights=w)),
                     "median": weighted_quantile(v, w, 0.5),
                     "ci_lower": weighted_quantile(v, w, 0.025),
                     "ci_upper": weighted_quantile(v, w, 0.975)})
    return pd.DataFrame(rows)


def _simulate_all(sim: Designs, values: list[dict[str, float]], salt: str, n_jobs: int) -> list[dict]:
    from joblib import Parallel, delayed

    return Parallel(n_jobs=n_jobs)(delayed(sim.statistics)(v, f"{salt}{d}") for d, v in enumerate(values))


def predictive_check(sim: Designs, particles: pd.DataFrame, draws: int, seed: int,
                     n_jobs: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate ``draws`` particles drawn by weight with fresh seeds; compare every target
    of every set (and every direction) with the simulated values."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 1])))
    w = particles["weight"].to_numpy(float)
    picks = rng.choice(len(particles), size=draws, p=w / w.sum())
    values = [{k: float(particles.iloc[i][k]) for k in sim.parameters} for i in picks]
    results = _simulate_all(sim, values, "ppc", n_jobs)
    table = pd.DataFrame([{"draw": d, "statistic": k, "value": v}
                          for d, r in enumerate(results) for k, v in r.items()])
    return table, check_table(sim.sets, table)


def check_table(sets: dict[str, TargetSet], table: pd.DataFrame) -> pd.DataFrame:
    """Per target (and direction): published value and range, simulated mean and 95 %
    interval over the draws, whether the simulated mean lies in the range (met), and the
    target's share of the distance at the simulated mean."""
    wide = table.pivot(index="draw", columns="statistic", values="value")
    means = wide.mean().to_dict()
    distance = Distance(sets)
    terms = distance.terms(means)
    total = sum(terms.values())
    rows = []
    for name, ts in sets.items():
        resolved = ts.resolved(means, name)
        for metric in list(resolved) + [m for m in ts.directions if m not in resolved]:
            col = f"{name}.{metric}"
            v = wide[col].dropna().to_numpy() if col in wide else np.array([])
            lo, hi = (np.quantile(v, [0.025, 0.975]) if len(v) else (np.nan, np.nan))
            mean = float(np.mean(v)) if len(v) else np.nan
            t = resolved.get(metric)
            direction = ts.directions.get(metric)
            rows.append({
                "target_set": name, "design": ts.design, "metric": metric,
                "kind": ("direction" if t is None else
                         "meta_regression" if metric in ts.meta_regression else "value"),
                "target": t.value if t else np.nan, "target_low": t.low if t else np.nan,
                "target_high": t.high if t else np.nan, "mean": mean,
                "ci_lower": float(lo), "ci_upper": float(hi),
                "met": (bool(t.low <= mean <= t.high) if t else
                        bool(mean < 1.0) if direction == "fewer" else bool(mean > 1.0)),
                "interval_overlaps": bool(t.low <= hi and lo <= t.high) if t else None,
                "direction": direction,
                "share_in_direction": (np.nan if direction is None else
                                       float(np.mean(v < 1.0) if direction == "fewer" else np.mean(v > 1.0))),
                "scaled_miss": scaled_miss(mean, t) if t else np.nan,
                "set_share_of_distance": terms[name] / total if total > 0 else np.nan})
    return pd.DataFrame(rows)


def target_pull(sim: Designs, priors: Priors, draws: int, seed: int,
                n_jobs: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Which targets pull which parameters: simulate ``draws`` points from the prior (a
    prior predictive check) and rank-correlate every parameter with every target's
    simulated value (Spearman). A large |rho| means the target informs the parameter."""
    from scipy.stats import spearmanr

    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 2])))
    values = [{k: float(rng.uniform(p.low, p.high)) for k, p in priors.parameters.items()}
              for _ in range(draws)]
    results = _simulate_all(sim, values, "prior", n_jobs)
    table = pd.DataFrame([{"draw": d, **{f"parameter:{k}": v for k, v in vals.items()}, **res}
                          for d, (vals, res) in enumerate(zip(values, results))])
    rows = []
    for name, ts in sim.sets.items():
        for metric in ts.metrics:
            y = table[f"{name}.{metric}"].to_numpy(float)
            for k in priors.parameters:
                x = table[f"parameter:{k}"].to_numpy(float)
                ok = np.isfinite(y)
                rho = spearmanr(x[ok], y[ok]).statistic if ok.sum() > 2 and np.ptp(y[ok]) > 0 else np.nan
                rows.append({"target_set": name, "metric": metric, "parameter": k, "spearman": float(rho)})
    return table, pd.DataFrame(rows)


def calibrated_configs(config: dict, summary: pd.DataFrame, settings: Settings, folder: Path) -> list[str]:
    """One Hydra group file per group the fitted parameters live in, posterior medians set."""
    written = []
    sets = ", ".join(f"{n} ({ts.design}: {ts.label})" for n, ts in settings.targets.items())
    groups = sorted({p.split(".")[0] for p in summary.parameter})
    for group in groups:
        if group not in ("clinical", "organisation", "population"):
            continue
        data = copy.deepcopy(config[group])
        sources = data.setdefault("sources", {})
        name = "fitted"   # not "calibrated": the shipped scenarios/clinical/calibrated.yaml would win
        if group == "organisation":
            name = f"{data['name']}_calibrated"
            data["name"] = name
            data["label"] = f"{data['label']} (calibrated)"
            data["label_da"] = f"{data['label_da']} (kalibreret)"
        for _, row in summary[summary.parameter.str.startswith(group + ".")].iterrows():
            rel = row.parameter.split(".")[1:]
            node, src = data, sources
            for part in rel[:-1]:
                node = node[part]
                if not isinstance(src.get(part), dict):
                    src[part] = {k: src.get(part) for k in node} if isinstance(src.get(part), str) else {}
                src = src[part]
            node[rel[-1]] = round(float(row["median"]), 6)
            src[rel[-1]] = (f"calibrated: factsim-calibrate ({time.strftime('%Y-%m-%d')}) to the target sets "
                            f"{sets}; posterior median, 95 % interval {row.ci_lower:.3g}-{row.ci_upper:.3g}; "
                            "redo with make calibrate ([model: calibration])")
        path = folder / "calibrated" / group / f"{name}.yaml"
        header = (f"# Calibrated by factsim-calibrate ({folder.name}) to {settings.name}. Use it with\n"
                  f"#   factsim --config-dir {folder / 'calibrated'} {group}={name}\n")
        write_text(path, header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        written.append(str(path.relative_to(folder)))
    return written


def posterior_config(particles: pd.DataFrame, names: list[str], settings: Settings, folder: Path) -> list[str]:
    """``calibrated/uncertainty/fitted_posterior.yaml``: parameter draws from this posterior
    (whole particles, by weight) and, for the assumptions it did not fit, the
    distributions of the shipped ``uncertainty=ranges``."""
    ranges = yaml.safe_load((SCENARIOS / "uncertainty" / "ranges.yaml").read_text())
    kept = {k: v for k, v in (ranges.get("parameters") or {}).items() if k not in names}
    range_sources = (ranges.get("sources") or {}).get("parameters") or {}
    w = particles["weight"].to_numpy(float)
    w = w / w.sum()
    sets = ", ".join(settings.targets)
    data = {
        "name": "fitted_posterior",
        "draws": ranges.get("draws", 20),
        "reduction_pct": ranges.get("reduction_pct", 10),
        "parameters": kept,
        "posterior": {
            "parameters": names,
            "particles": [[float(f"{v:.6g}") for v in row] for row in particles[names].to_numpy(float)],
            "weights": [float(f"{x:.6g}") for x in w],
        },
        "sources": {
            "name": "assumption: a name",
            "draws": (ranges.get("sources") or {}).get("draws", "assumption"),
            "reduction_pct": (ranges.get("sources") or {}).get("reduction_pct", "assumption"),
            "parameters": {k: range_sources.get(k, "assumption") for k in kept},
            "posterior": (f"calibrated: the final ABC-SMC population of factsim-calibrate "
                          f"({time.strftime('%Y-%m-%d')}, {folder.name}) to the target sets {sets}; "
                          "each draw takes one whole particle by its weight ([model: calibration])"),
        },
    }
    path = folder / "calibrated" / "uncertainty" / "fitted_posterior.yaml"
    header = ("# Parameter uncertainty from the calibration's posterior (uncertainty=fitted_posterior): each draw\n"
              "# takes one particle of the final ABC-SMC population, so the correlations the calibration\n"
              "# found are kept; the assumptions it did not fit keep their ranges (uncertainty=ranges).\n"
              f"#   factsim --config-dir {folder / 'calibrated'} clinical=fitted uncertainty=fitted_posterior\n")
    write_text(path, header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200,
                                             default_flow_style=None))
    return [str(path.relative_to(folder))]


# -- the run ----------------------------------------------------------------------------------
def calibrate(settings: Settings, raw: dict, folder: Path, configs: dict[str, dict] | None = None) -> dict:
    """Run (or resume) ABC-SMC and write every output into ``folder``; return key figures.

    ``configs`` are the checked scenarios per target set (:func:`base_configs`), composed
    here if not given."""
    import pyabc
    from pyabc.sampler import MulticoreEvalParallelSampler, SingleCoreSampler

    started = time.time()
    start_folder(folder)
    configs = base_configs(settings) if configs is None else configs
    names = list(settings.priors.parameters)
    sim = simulator(settings, configs)
    prior = pyabc.Distribution(**{safe(n): pyabc.RV("uniform", p.low, p.high - p.low)
                                  for n, p in settings.priors.parameters.items()})
    a = settings.abc
    procs = a.n_procs if a.sampler == "multicore" else 1
    sampler = (SingleCoreSampler() if a.sampler == "single"
               else MulticoreEvalParallelSampler(n_procs=a.n_procs))
    distance = Distance(settings.targets)
    abc = pyabc.ABCSMC(sim, prior, distance, population_size=a.population_size, sampler=sampler)
    db = folder / "abc.db"
    np.random.seed(a.seed)  # pyabc's proposals use numpy's global state; the simulator never does
    if settings.resume:
        history = abc.load(f"sqlite:///{db}", 1)
        before = history.total_nr_simulations
    else:
        db.unlink(missing_ok=True)
        history = abc.new(f"sqlite:///{db}", observed(settings.targets))
        before = 0
    run_started = time.time()
    history = abc.run(minimum_epsilon=a.min_epsilon, max_nr_populations=a.max_generations,
                      max_total_nr_simulations=a.max_simulations,
                      max_walltime=timedelta(minutes=a.max_walltime_minutes))
    abc_seconds = time.time() - run_started
    simulations = history.total_nr_simulations - before

    files = save_settings_multi(folder, raw, configs) + ["abc.db"]
    pops = history.get_all_populations()
    pops = pops[pops.t >= 0].rename(columns={"samples": "simulations"})
    files += write_table(pops[["t", "epsilon", "simulations", "particles", "population_end_time"]]
                         .assign(population_end_time=lambda d: d.population_end_time.astype(str)),
                         folder, "generations")
    df, w = history.get_distribution(m=0, t=history.max_t)
    particles = df.rename(columns={safe(n): n for n in names})[names].reset_index(drop=True)
    particles["weight"] = np.asarray(w, float)
    summary = posterior_summary(particles, settings.priors)
    files += write_table(particles.assign(generation=history.max_t), folder, "posterior")
    files += write_table(summary, folder, "posterior_summary")
    ppc, check = predictive_check(sim, particles, settings.posterior_predictive_draws, a.seed, n_jobs=procs)
    files += write_table(ppc, folder, "ppc")
    files += write_table(check, folder, "ppc_summary")
    bounds = {n: (p.low, p.high) for n, p in settings.priors.parameters.items()}
    from sim.output import study_plots as research_plots  # matplotlib only when plotting

    research_plots.posterior_pairs(particles, names, folder / "plots" / "posterior_pairs.png", bounds)
    research_plots.target_check(check, folder / "plots" / "ppc.png", settings.name)
    files += ["plots/posterior_pairs.png", "plots/ppc.png"]
    if settings.prior_predictive_draws > 1:
        prior_table, pull = target_pull(sim, settings.priors, settings.prior_predictive_draws, a.seed, procs)
        files += write_table(prior_table, folder, "prior_predictive")
        files += write_table(pull, folder, "target_pull")
        research_plots.target_pull(pull, folder / "plots" / "target_pull.png")
        files += ["plots/target_pull.png"]
    first = next(iter(configs.values()))
    files += calibrated_configs(first, summary, settings, folder)
    files += posterior_config(particles, names, settings, folder)
    figures = {"generations": int(history.max_t + 1), "simulations": int(simulations),
               "total_simulations": int(history.total_nr_simulations),
               "abc_seconds": round(abc_seconds, 1),
               "simulations_per_second": round(simulations / abc_seconds, 2) if abc_seconds else None,
               "final_epsilon": float(pops.epsilon.iloc[-1]),
               "targets_met": int(check.met.sum()), "targets_checked": int(len(check)),
               "sampler": a.sampler, "n_procs": procs}
    write_manifest(folder, "factsim-calibrate", started, files, targets=list(settings.targets),
                   designs=sorted({ts.design for ts in settings.targets.values()}),
                   resumed=bool(settings.resume), **figures)
    return {"summary": summary, "ppc": check, **figures}


def save_settings_multi(folder: Path, raw: dict, configs: dict[str, dict]) -> list[str]:
    """The settings, and each target set's scenario beside them (scenario_<set>.yaml)."""
    files = save_settings(folder, raw, next(iter(configs.values())))
    for name, config in configs.items():
        files.append(write_yaml(folder, f"scenario_{name}.yaml", config))
    return files


@command("factsim-calibrate")
def main(argv: list[str] | None = None) -> None:
    """The factsim-calibrate command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    created = False
    settings, raw = compose_settings(argv)
    if settings.resume:
        folder = Path(settings.resume).resolve()
        settings, raw = resumed_settings(folder, argv)
    else:
        folder = Path(settings.out or OUTPUTS / time.strftime("%Y-%m-%d_%H-%M-%S"))
        created = not folder.exists()
    configs = base_configs(settings)  # every bad input before any work (command() words it)
    for name in ("ABC", "ABC.Sampler", "ABC.History"):
        logging.getLogger(name).setLevel(logging.INFO)  # pyabc's own lines per generation: progress
    sets = "; ".join(f"{n} ({ts.design})" for n, ts in settings.targets.items())
    print(f"Calibrating {', '.join(settings.priors.parameters)} to {sets} -> {folder}", flush=True)
    try:
        result = calibrate(settings, raw, folder, configs)
    except BaseException:
        if created:
            discard_incomplete(folder)
        raise
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print("\nPosterior (median and 95 % interval):")
        print(result["summary"].to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        print("\nPosterior predictive check (every target of every set):")
        cols = ["target_set", "metric", "target", "target_low", "target_high", "mean", "ci_lower",
                "ci_upper", "met"]
        print(result["ppc"][cols].to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    print(f"\n{result['targets_met']} of {result['targets_checked']} targets met. "
          f"{result['simulations']} simulations in {result['abc_seconds']:.0f} s "
          f"({result['simulations_per_second']} per second, {result['n_procs']} process(es)), "
          f"{result['generations']} generations. Outputs: {folder}")
    if not settings.resume and not settings.out:
        link_latest(folder)


if __name__ == "__main__":
    main()
