"""``factsim-calibrate``: fit mechanism parameters to the Norwegian pre/post ratios by
ABC-SMC (pyabc; Toni et al. 2009, Klinger et al. 2018).

The simulated data are what the evaluation measured: the enrolled cohort's after/before
ratios under the organisation under study (the observed arm of :mod:`sim.study`).
Priors, targets and the budget are YAML in ``calibration/``. Each simulation's seed is
a hash of its parameter values, so the simulator is a deterministic function and never
touches global random state; pyabc's own proposals use numpy's global state, seeded
once here, so a run on the single-core sampler repeats exactly.

Writes: the pyabc database (resume; inspect with ``pyabc.History``), the posterior
(particles and weighted quantiles, pair plot), a posterior predictive check
(simulated vs target ratios), and the calibrated parameters as Hydra config files.
"""
from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import logging
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml

from sim.config.errors import ConfigError, exit_bad_input
from sim.config.load import load, to_container
from sim.config.validate import build, nonneg, pos
from sim.experiments.prepost import MEASURES
from sim.experiments.simulate import simulate
from sim.output import study_plots as research_plots
from sim.output.run_folder import discard_incomplete, link_latest, start_folder, write_manifest, write_table
from sim.research.settings import (
    Range,
    check_ranges,
    compose_tool,
    save_settings,
    scenario_config,
    with_values,
    without_sources,
)

OUTPUTS = Path("outputs") / "calibration"


@dataclass(frozen=True)
class Targets:
    """Published after/before ratios (calibration/targets/*.yaml)."""
    name: str
    label: str
    ratios: dict[str, float] = pos()
    directions: dict[str, Literal["fewer", "more"]] = field(default_factory=dict)

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        if not self.ratios:
            raise ConfigError("targets.ratios: at least one ratio is needed to calibrate against")
        for key in ("ratios", "directions"):
            unknown = set(getattr(self, key)) - set(MEASURES)
            if unknown:
                raise ConfigError(f"targets.{key}.{sorted(unknown)[0]}: unknown measure; "
                                  f"allowed: {', '.join(MEASURES)}")


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
    distance: Literal["adaptive", "euclidean"]
    population_size: int = pos()
    max_generations: int = pos()
    min_epsilon: float = nonneg()
    max_simulations: int = pos()
    max_walltime_minutes: float = pos()
    n_procs: int = pos()
    seed: int = nonneg()


@dataclass(frozen=True)
class Settings:
    """Everything one calibration needs, from calibration/config.yaml."""
    targets: Targets
    priors: Priors
    scenario: tuple[str, ...]
    replications_per_simulation: int = pos()
    posterior_predictive_draws: int = pos()
    abc: Abc = None
    out: str | None = None
    resume: str | None = None


# -- configuration -----------------------------------------------------------------------
def compose_settings(overrides: list[str]) -> tuple[Settings, dict]:
    """Compose calibration/config.yaml with command-line overrides; validate."""
    data = compose_tool("config", overrides)
    return build(Settings, without_sources(data, ("targets", "priors"))), data


def base_config(settings: Settings) -> dict:
    """The scenario to calibrate, composed from scenarios/ and checked as factsim would."""
    config = scenario_config(list(settings.scenario))
    if config.get("study") is None:
        raise ConfigError("scenario: calibration needs a pre/post study (add study=norway_prepost)")
    if config.get("baseline") is None:
        raise ConfigError("scenario: the study needs a baseline organisation (organisation@baseline=...)")
    check_ranges(config, settings.priors.parameters, "priors.parameters")
    return config


def safe(name: str) -> str:
    """pyabc parameter names: no dots."""
    return name.replace(".", "__")


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
    return build(Settings, without_sources(data, ("targets", "priors"))), data


# -- the simulator ------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Simulator:
    """Parameter values -> the cohort's after/before ratios, pooled over replications."""
    config: dict
    parameters: list[str]
    replications: int
    seed: int
    measures: tuple[str, ...] = MEASURES

    def seed_for(self, values: dict[str, float], salt: str = "") -> int:
        """A seed from the parameter values (a hash), so no global random state is used."""
        text = json.dumps([self.seed, salt, [repr(float(values[k])) for k in self.parameters]])
        return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")

    def ratios(self, values: dict[str, float], salt: str = "") -> dict[str, float]:
        """The pooled after/before ratios of the study's cohort at ``values``."""
        sc, _ = load(with_values(self.config, values, seed=self.seed_for(values, salt),
                           replications=self.replications, progress=False, n_jobs=1, event_log=False))
        counts = pd.concat([simulate(sc, sc.organisation, rep).prepost for rep in range(self.replications)])
        total = counts.groupby(["period", "measure"]).value.sum()
        out = {}
        for m in self.measures:
            pre = total[("pre", m)]
            out[m] = float(total[("post", m)] / pre) if pre > 0 else float("nan")
        return out

    def __call__(self, parameter) -> dict[str, float]:
        """pyabc's model interface: a particle's parameters to the simulated ratios."""
        return self.ratios({k: float(parameter[safe(k)]) for k in self.parameters})


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


def predictive_check(sim: Simulator, particles: pd.DataFrame, targets: Targets, draws: int,
                     seed: int, n_jobs: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate ``draws`` particles drawn by weight with fresh seeds; compare with the targets."""
    from joblib import Parallel, delayed

    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 1])))
    w = particles["weight"].to_numpy(float)
    picks = rng.choice(len(particles), size=draws, p=w / w.sum())
    values = [{k: float(particles.iloc[i][k]) for k in sim.parameters} for i in picks]
    results = Parallel(n_jobs=n_jobs)(delayed(sim.ratios)(v, f"ppc{d}") for d, v in enumerate(values))
    table = pd.DataFrame([{"draw": d, "measure": m, "value": r[m]}
                          for d, r in enumerate(results) for m in MEASURES])
    rows = []
    for m in MEASURES:
        v = table[table.measure == m].value.dropna().to_numpy()
        target = targets.ratios.get(m)
        direction = targets.directions.get(m)
        lo, hi = (np.quantile(v, [0.025, 0.975]) if len(v) else (np.nan, np.nan))
        share = (np.nan if direction is None else
                 float(np.mean(v < 1.0) if direction == "fewer" else np.mean(v > 1.0)))
        rows.append({"measure": m, "target": target, "direction": direction, "mean": float(np.mean(v)),
                     "ci_lower": float(lo), "ci_upper": float(hi),
                     "target_inside": (bool(lo <= target <= hi) if target is not None else None),
                     "share_in_direction": share})
    return table, pd.DataFrame(rows)


def calibrated_configs(config: dict, summary: pd.DataFrame, targets: Targets, folder: Path) -> list[str]:
    """One Hydra group file per group the fitted parameters live in, posterior medians set."""
    written = []
    groups = sorted({p.split(".")[0] for p in summary.parameter})
    for group in groups:
        if group not in ("clinical", "organisation", "population"):
            continue
        data = copy.deepcopy(config[group])
        sources = data.setdefault("sources", {})
        name = f"calibrated_{targets.name}"
        if group == "organisation":
            name = f"{data['name']}_calibrated_{targets.name}"
            data["name"] = name
            data["label"] = f"{data['label']} (calibrated to {targets.name})"
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
            src[rel[-1]] = (f"calibrated: factsim-calibrate in {folder}, targets {targets.name} "
                            f"({targets.label}); posterior median, 95 % interval "
                            f"{row.ci_lower:.3g}-{row.ci_upper:.3g}")
        path = folder / "calibrated" / group / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        header = (f"# Calibrated by factsim-calibrate ({folder}). Use it with\n"
                  f"#   factsim --config-dir {folder / 'calibrated'} {group}={name}\n")
        path.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        written.append(str(path.relative_to(folder)))
    return written


# -- the run ----------------------------------------------------------------------------------
def calibrate(settings: Settings, raw: dict, folder: Path, config: dict | None = None) -> dict:
    """Run (or resume) ABC-SMC and write every output into ``folder``; return key figures.

    ``config`` is the checked scenario (:func:`base_config`), composed here if not given."""
    import pyabc
    from pyabc.sampler import MulticoreEvalParallelSampler, SingleCoreSampler

    started = time.time()
    start_folder(folder)
    config = base_config(settings) if config is None else config
    names = list(settings.priors.parameters)
    sim = Simulator(config, names, settings.replications_per_simulation, settings.abc.seed,
                    measures=tuple(settings.targets.ratios))
    prior = pyabc.Distribution(**{safe(n): pyabc.RV("uniform", p.low, p.high - p.low)
                                  for n, p in settings.priors.parameters.items()})
    a = settings.abc
    procs = a.n_procs if a.sampler == "multicore" else 1
    sampler = (SingleCoreSampler() if a.sampler == "single"
               else MulticoreEvalParallelSampler(n_procs=a.n_procs))
    distance = (pyabc.AdaptivePNormDistance(p=2) if a.distance == "adaptive"
                else pyabc.PNormDistance(p=2))
    abc = pyabc.ABCSMC(sim, prior, distance,
                       population_size=a.population_size, sampler=sampler)
    db = folder / "abc.db"
    np.random.seed(a.seed)  # pyabc's proposals use numpy's global state; the simulator never does
    if settings.resume:
        history = abc.load(f"sqlite:///{db}", 1)
        before = history.total_nr_simulations
    else:
        db.unlink(missing_ok=True)
        history = abc.new(f"sqlite:///{db}", dict(settings.targets.ratios))
        before = 0
    run_started = time.time()
    history = abc.run(minimum_epsilon=a.min_epsilon, max_nr_populations=a.max_generations,
                      max_total_nr_simulations=a.max_simulations,
                      max_walltime=timedelta(minutes=a.max_walltime_minutes))
    abc_seconds = time.time() - run_started
    simulations = history.total_nr_simulations - before

    files = save_settings(folder, raw, config) + ["abc.db"]
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
    ppc, ppc_summary = predictive_check(dataclasses.replace(sim, measures=MEASURES), particles,
                                        settings.targets, settings.posterior_predictive_draws, a.seed,
                                        n_jobs=procs)
    files += write_table(ppc, folder, "ppc")
    files += write_table(ppc_summary, folder, "ppc_summary")
    bounds = {n: (p.low, p.high) for n, p in settings.priors.parameters.items()}
    research_plots.posterior_pairs(particles, names, folder / "plots" / "posterior_pairs.png", bounds)
    research_plots.ratio_panels(
        ppc_summary.assign(quantity="simulated"), folder / "plots" / "ppc.png",
        title=f"Posterior predictive check: {settings.targets.label}",
        targets=settings.targets.ratios, target_label=f"target ({settings.targets.name})")
    files += ["plots/posterior_pairs.png", "plots/ppc.png"]
    files += calibrated_configs(config, summary, settings.targets, folder)
    figures = {"generations": int(history.max_t + 1), "simulations": int(simulations),
               "total_simulations": int(history.total_nr_simulations),
               "abc_seconds": round(abc_seconds, 1),
               "simulations_per_second": round(simulations / abc_seconds, 2) if abc_seconds else None,
               "final_epsilon": float(pops.epsilon.iloc[-1]),
               "sampler": a.sampler, "n_procs": procs}
    write_manifest(folder, "factsim-calibrate", started, files, targets=settings.targets.name,
                   resumed=bool(settings.resume), **figures)
    return {"summary": summary, "ppc": ppc_summary, **figures}


def main(argv: list[str] | None = None) -> None:
    """The factsim-calibrate command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    folder = None
    created = False
    try:
        settings, raw = compose_settings(argv)
        if settings.resume:
            folder = Path(settings.resume).resolve()
            settings, raw = resumed_settings(folder, argv)
        else:
            folder = Path(settings.out or OUTPUTS / time.strftime("%Y-%m-%d_%H-%M-%S"))
            created = not folder.exists()
        config = base_config(settings)  # every bad input before any work
    except ConfigError as err:
        exit_bad_input("factsim-calibrate", err)
    for name in ("ABC", "ABC.Sampler", "ABC.History"):
        logging.getLogger(name).setLevel(logging.INFO)  # pyabc's own lines per generation: progress
    print(f"Calibrating {', '.join(settings.priors.parameters)} to {settings.targets.label} "
          f"-> {folder}", flush=True)
    try:
        result = calibrate(settings, raw, folder, config)
    except BaseException:
        if created:
            discard_incomplete(folder)
        raise
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print("\nPosterior (median and 95 % interval):")
        print(result["summary"].to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        print("\nPosterior predictive check (after/before ratios):")
        print(result["ppc"].to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    print(f"\n{result['simulations']} simulations in {result['abc_seconds']:.0f} s "
          f"({result['simulations_per_second']} per second, {result['n_procs']} process(es)), "
          f"{result['generations']} generations. Outputs: {folder}")
    if not settings.resume and not settings.out:
        link_latest(folder)


if __name__ == "__main__":
    main()
