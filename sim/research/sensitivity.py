"""``factsim-sensitivity``: global sensitivity of the default comparison's conclusions.

Two stages, as recommended for models too slow for Sobol on every input (Saltelli et
al. 2008, ch. 3): Morris elementary effects screen all parameters in
``calibration/sensitivity.yaml``; Sobol first-order and total indices (SALib) then
split the variance among the ``sobol.top`` parameters with the largest scaled mu*.

Each output is a conclusion a leader reads: by default the organisation's relative
change against the baseline (e.g. bed days, %), both arms run on the same seeds. Every
sample point runs on the same seeds too (common random numbers across points), so an
elementary effect measures the parameter, not a change of luck; a parameter the model
never reads has effects of exactly zero. Random state: SALib's samplers get ``seed``;
the simulation uses its own streams (:mod:`sim.streams`).

Writes tidy tables (samples, Morris indices, Sobol indices; CSV and Parquet), bar
plots, the resolved settings and scenario, and the manifest last.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from sim.config.errors import ConfigError, command
from sim.config.load import load
from sim.config.validate import build, nonneg, pos
from sim.experiments.simulate import simulate
from sim.output.run_folder import discard_incomplete, link_latest, start_folder, write_manifest, write_table
from sim.research.settings import (
    Range,
    check_ranges,
    compose_tool,
    number_at,
    save_settings,
    scenario_config,
    with_values,
    without_sources,
)

OUTPUTS = Path("outputs") / "sensitivity"
MEASURE_LABELS = {"change_pct": "change vs baseline, %", "difference": "organisation - baseline",
                  "organisation": "organisation", "baseline": "baseline"}


@dataclass(frozen=True)
class Output:
    """A metric of the run (see results.csv) and how the two arms are turned into one number."""
    metric: str
    measure: Literal["change_pct", "difference", "organisation", "baseline"]


@dataclass(frozen=True)
class Morris:
    """Morris screening settings (SALib): trajectories and levels."""
    trajectories: int = pos()
    levels: int = pos()


@dataclass(frozen=True)
class Sobol:
    """Sobol settings (SALib): how many screened parameters and base samples."""
    enabled: bool
    top: int = pos()
    base_samples: int = pos()


@dataclass(frozen=True)
class Settings:
    """Everything one sensitivity analysis needs, from calibration/sensitivity.yaml."""
    scenario: tuple[str, ...]
    outputs: dict[str, Output]
    parameters: dict[str, Range]
    morris: Morris
    sobol: Sobol
    replications: int = pos()
    seed: int = nonneg()
    n_jobs: int = -1
    progress: bool = True
    out: str | None = None

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        if not self.outputs:
            raise ConfigError("outputs: name at least one output")
        if len(self.parameters or {}) < 2:
            raise ConfigError("parameters: name at least two parameters to compare")
        if self.morris.levels < 2 or self.morris.levels % 2:
            raise ConfigError(f"morris.levels = {self.morris.levels}: must be an even number >= 2")
        if self.n_jobs == 0:
            raise ConfigError("n_jobs = 0: give a number of processes (-1 for all cores)")
        n = self.sobol.base_samples
        if n & (n - 1):
            raise ConfigError(f"sobol.base_samples = {n}: must be a power of 2 (Sobol' sequence)")


def compose_settings(overrides: list[str]) -> tuple[Settings, dict]:
    """Compose calibration/sensitivity.yaml with command-line overrides; validate."""
    data = compose_tool("sensitivity", overrides)
    if not isinstance(data.get("parameters") or {}, dict):
        raise ConfigError("parameters: must be a mapping of dotted parameter name to low and high, e.g. "
                          "\"+parameters={clinical.los_shape: {low: 1, high: 3}}\"")
    for name, value in (data.get("parameters") or {}).items():
        if isinstance(value, dict) and not {"low", "high"} & set(value):
            raise ConfigError(f"parameters.{name}: give each parameter by its full dotted name with "
                              "low and high, e.g. \"+parameters={clinical.los_shape: {low: 1, high: 3}}\"")
    return build(Settings, without_sources(data)), data


def base_config(settings: Settings) -> dict:
    """The scenario, checked; every parameter range and output checked against it."""
    config = scenario_config(list(settings.scenario))
    if config.get("baseline") is None:
        raise ConfigError("scenario: the outputs compare two organisations; keep organisation@baseline")
    check_ranges(config, settings.parameters, "parameters")
    sc, _ = load(with_values(config, {}, warmup_years=0.0, results_years=0.01, event_log=False))
    known = simulate(sc, sc.organisation, 0).metrics  # a few simulated days name every metric
    for name, out in settings.outputs.items():
        if out.metric not in known:
            raise ConfigError(f"outputs.{name}.metric = {out.metric!r}: no such metric; allowed: "
                              f"{allowed_metrics(known)}")
    return config


def allowed_metrics(known) -> str:
    """Metric names for a refusal, with a family per kind of work written once:
    ``contacts_lost_<kind>`` stands for contacts_lost_routine, ..._inreach and so on."""
    from sim.model.names import WORK

    names = set(known)
    families = {n[: -len(k) - 1] for n in names for k in WORK if n.endswith("_" + k)}
    families = {f for f in families if all(f"{f}_{k}" in names for k in WORK)}
    for f in families:
        names -= {f"{f}_{k}" for k in WORK}
        names.add(f"{f}_<kind>")
    kinds = f"; <kind> is one of {', '.join(WORK)}" if families else ""
    return ", ".join(sorted(names)) + kinds


class Comparison:
    """Parameter values -> the outputs, averaged over replications (both arms, same seeds)."""

    def __init__(self, config: dict, settings: Settings):
        self.config = config
        self.names = list(settings.parameters)
        self.outputs = settings.outputs
        self.replications = settings.replications

    def __call__(self, row: np.ndarray) -> list[float]:
        """The outputs at one sample point (one row of parameter values)."""
        values = dict(zip(self.names, map(float, row)))
        sc, _ = load(with_values(self.config, values, replications=self.replications, progress=False,
                                 n_jobs=1, event_log=False), sources=False)   # checked with the ranges
        baseline = sc.baseline
        assert baseline is not None   # the settings keep organisation@baseline
        arms: dict[str, list[dict]] = {"baseline": [], "organisation": []}
        for rep in range(self.replications):
            arms["baseline"].append(simulate(sc, baseline, rep, tables=False).metrics)
            arms["organisation"].append(simulate(sc, sc.organisation, rep, tables=False).metrics)
        return [self.value(arms, out) for out in self.outputs.values()]

    @staticmethod
    def value(arms: dict[str, list[dict]], out: Output) -> float:
        """One output (a change against the baseline) from the arms' metrics."""
        base = sum(m[out.metric] for m in arms["baseline"])
        org = sum(m[out.metric] for m in arms["organisation"])
        n = len(arms["baseline"])
        if out.measure == "change_pct":  # pooled over replications
            return (org / base - 1.0) * 100.0 if base else float("nan")
        return {"difference": (org - base) / n, "organisation": org / n, "baseline": base / n}[out.measure]


def evaluate(model: Comparison, samples: np.ndarray, n_jobs: int, progress: bool, desc: str) -> np.ndarray:
    """Run every sample point (in parallel, in order) with a progress bar."""
    from joblib import Parallel, delayed
    from tqdm.auto import tqdm

    jobs = Parallel(n_jobs=n_jobs, return_as="generator")(delayed(model)(row) for row in samples)
    rows = list(tqdm(jobs, total=len(samples), desc=desc, unit="point", disable=not progress))
    return np.asarray(rows, float)


def problem(names: list[str], parameters: dict[str, Range]) -> dict:
    """The SALib problem for ``names`` with their ranges."""
    return {"num_vars": len(names), "names": names,
            "bounds": [[parameters[n].low, parameters[n].high] for n in names]}


def sample_table(samples: np.ndarray, y: np.ndarray, names: list[str], outputs: list[str]) -> pd.DataFrame:
    """Long table: one row per sample point and output, parameter values as columns."""
    wide = pd.DataFrame(samples, columns=names).assign(point=np.arange(len(samples)))
    ys = pd.DataFrame(y, columns=outputs).assign(point=np.arange(len(samples)))
    long = ys.melt(id_vars="point", var_name="output", value_name="value")
    return long.merge(wide, on="point").sort_values(["output", "point"], kind="stable")


def morris_indices(settings: Settings, samples: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    """Morris mu, mu* (and scaled), sigma per parameter and output."""
    from SALib.analyze import morris

    names = list(settings.parameters)
    prob = problem(names, settings.parameters)
    rows = []
    for j, out in enumerate(settings.outputs):
        if np.isnan(y[:, j]).any():
            raise ConfigError(f"outputs.{out}: undefined at some sample points (baseline of 0?); "
                              "use measure: difference")
        res = morris.analyze(prob, samples, y[:, j], num_levels=settings.morris.levels,
                             seed=settings.seed)
        top = max(float(np.max(res["mu_star"])), 1e-12)
        for i, name in enumerate(names):
            rows.append({"output": out, "parameter": name, "mu": float(res["mu"][i]),
                         "mu_star": float(res["mu_star"][i]), "sigma": float(res["sigma"][i]),
                         "mu_star_conf": float(res["mu_star_conf"][i]),
                         "mu_star_scaled": float(res["mu_star"][i]) / top})
    table = pd.DataFrame(rows)
    table["rank"] = table.groupby("output").mu_star.rank(ascending=False, method="min").astype(int)
    return table


def most_influential(morris: pd.DataFrame, k: int) -> list[str]:
    """The k parameters with the largest scaled mu* in any output."""
    score = morris.groupby("parameter", sort=False).mu_star_scaled.max().sort_values(ascending=False, kind="stable")
    return list(score.index[:k])


def sobol_indices(settings: Settings, names: list[str], y: np.ndarray) -> pd.DataFrame:
    """Sobol first-order and total indices with their confidence per parameter and output."""
    from SALib.analyze import sobol

    prob = problem(names, settings.parameters)
    rows = []
    for j, out in enumerate(settings.outputs):
        res = sobol.analyze(prob, y[:, j], calc_second_order=False, seed=settings.seed)
        for i, name in enumerate(names):
            rows.append({"output": out, "parameter": name, "S1": float(res["S1"][i]),
                         "S1_conf": float(res["S1_conf"][i]), "ST": float(res["ST"][i]),
                         "ST_conf": float(res["ST_conf"][i])})
    return pd.DataFrame(rows)


def analyse(settings: Settings, raw: dict, folder: Path, config: dict | None = None) -> dict:
    """Morris screening, then Sobol on the top parameters; write everything into ``folder``.

    ``config`` is the checked scenario (:func:`base_config`), composed here if not given."""
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    started = time.time()
    start_folder(folder)
    config = base_config(settings) if config is None else config
    names, outputs = list(settings.parameters), list(settings.outputs)
    model = Comparison(config, settings)
    sims_per_point = 2 * settings.replications
    titles = {o: f"{o} ({MEASURE_LABELS[v.measure]})" for o, v in settings.outputs.items()}
    files = []

    x = morris_sample.sample(problem(names, settings.parameters), settings.morris.trajectories,
                             num_levels=settings.morris.levels, seed=settings.seed)
    t0 = time.time()
    y = evaluate(model, x, settings.n_jobs, settings.progress, "Morris screening")
    morris_seconds = time.time() - t0
    morris = morris_indices(settings, x, y)
    from sim.output import study_plots as research_plots  # matplotlib only when plotting

    files += write_table(sample_table(x, y, names, outputs), folder, "morris_samples")
    files += write_table(morris, folder, "morris")
    research_plots.sensitivity_bars(morris.assign(output=morris.output.map(titles)), "mu_star",
                                    "mu_star_conf", folder / "plots" / "morris.png", "morris")
    files.append("plots/morris.png")
    figures: dict[str, Any] = {"morris_points": len(x), "morris_seconds": round(morris_seconds, 1)}

    sobol = None
    if settings.sobol.enabled:
        top = most_influential(morris, min(settings.sobol.top, len(names)))
        fixed = {n: number_at(config, n, "parameters") for n in names if n not in top}
        xs = sobol_sample.sample(problem(top, settings.parameters), settings.sobol.base_samples,
                                 calc_second_order=False, seed=settings.seed)
        full = np.column_stack([xs[:, top.index(n)] if n in top else np.full(len(xs), fixed[n])
                                for n in names])
        t0 = time.time()
        ys = evaluate(model, full, settings.n_jobs, settings.progress, f"Sobol ({len(top)} parameters)")
        figures.update(sobol_points=len(xs), sobol_seconds=round(time.time() - t0, 1), sobol_parameters=top)
        sobol = sobol_indices(settings, top, ys)
        files += write_table(sample_table(full, ys, names, outputs), folder, "sobol_samples")
        files += write_table(sobol, folder, "sobol")
        research_plots.sensitivity_bars(sobol.assign(output=sobol.output.map(titles)), "ST", "ST_conf",
                                        folder / "plots" / "sobol.png", "sobol")
        files.append("plots/sobol.png")

    files += save_settings(folder, raw, config)
    points = figures["morris_points"] + figures.get("sobol_points", 0)
    seconds = figures["morris_seconds"] + figures.get("sobol_seconds", 0.0)
    figures.update(simulations=points * sims_per_point,
                   simulations_per_second=round(points * sims_per_point / seconds, 2) if seconds else None)
    write_manifest(folder, "factsim-sensitivity", started, files, **figures)
    return {"morris": morris, "sobol": sobol, **figures}


@command("factsim-sensitivity")
def main(argv: list[str] | None = None) -> None:
    """The factsim-sensitivity command."""
    argv = list(sys.argv[1:] if argv is None else argv)
    settings, raw = compose_settings(argv)
    config = base_config(settings)  # every bad input before any work (command() words it)
    folder = Path(settings.out or OUTPUTS / time.strftime("%Y-%m-%d_%H-%M-%S"))
    created = not folder.exists()
    print(f"Sensitivity of {', '.join(settings.outputs)} to {len(settings.parameters)} parameters "
          f"-> {folder}", flush=True)
    try:
        result = analyse(settings, raw, folder, config)
    except BaseException:   # e.g. an output undefined at some sample points (a ConfigError)
        if created:
            discard_incomplete(folder)
        raise
    fmt = {"float_format": lambda v: f"{v:.3g}", "index": False}
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print("\nMorris screening (mu*: mean absolute elementary effect, in units of the output):")
        print(result["morris"].sort_values(["output", "rank"])[
            ["output", "parameter", "mu_star", "mu_star_conf", "sigma", "rank"]].to_string(**fmt))
        if result["sobol"] is not None:
            print("\nSobol indices (first-order S1, total ST):")
            print(result["sobol"].to_string(**fmt))
    print(f"\n{result['simulations']} simulations ({result['simulations_per_second']} per second). "
          f"Outputs: {folder}")
    if not settings.out:
        link_latest(folder)


if __name__ == "__main__":
    main()
