"""The study designs a calibration runs, all on one seed per parameter set.

For one set of parameter values :class:`Designs` runs what every target set's design
needs and returns one flat dictionary of statistics named ``<set>.<metric>``:

- ``prepost``: the organisation under study takes over the enrolled cohort at the
  inclusion date; after/before ratios of the cohort's counts, pooled over replications
  (:mod:`sim.experiments.prepost`);
- ``baseline``: the baseline organisation's levels, the mean over replications;
- ``side_by_side``: the organisation and the baseline on the same citizens (common random
  numbers), the ratio of pooled rates per citizen-year, and the control arm's bed days
  per citizen-month (what a controlled effect may depend on, [burns2007]).

Every design uses the same seed (a hash of the parameter values), so the designs are
compared under common random numbers, and an arm two designs share (the baseline arm of
``baseline`` and of ``side_by_side`` when their scenarios are the same) runs once.
A parameter applies to every design whose scenario has it (a study setting such as
``study.enrolment.lookback_months`` exists only in a pre/post design).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from sim.config.errors import ConfigError
from sim.config.load import load
from sim.config.params import check_directions
from sim.experiments.prepost import WITH_TREND
from sim.experiments.simulate import ArmResult, simulate
from sim.research.settings import Range, check_ranges, number_at, scenario_config, with_values
from sim.research.targets import (
    BASELINE_METRICS,
    CONTROL_USE,
    PREPOST_METRICS,
    SIDE_BY_SIDE_METRICS,
    TargetSet,
    per_month,
)


def design_configs(shared: list[str], sets: dict[str, TargetSet]) -> dict[str, dict]:
    """Each target set's scenario (the shared overrides, then the set's own), composed and
    checked as ``factsim`` would, and checked against what its design needs."""
    configs: dict[str, dict] = {}
    composed: dict[tuple[str, ...], dict] = {}
    for name, ts in sets.items():
        overrides = tuple(shared) + tuple(ts.scenario)
        if overrides not in composed:
            composed[overrides] = scenario_config(list(overrides))
        config = composed[overrides]
        key = f"targets.{name}.scenario"
        if ts.design == "prepost" and config.get("study") is None:
            raise ConfigError(f"{key}: a prepost design needs a pre/post study (add study=norway_prepost)")
        if ts.design != "prepost" and config.get("study") is not None:
            raise ConfigError(f"{key}: a {ts.design} design runs without a pre/post study "
                              f"(remove study={config['study'].get('name')} from its scenario)")
        if config.get("baseline") is None:
            raise ConfigError(f"{key}: the {ts.design} design needs a baseline organisation "
                              "(organisation@baseline=...)")
        if ts.design == "side_by_side" and config["organisation"]["name"] == config["baseline"]["name"]:
            raise ConfigError(f"{key}: a side_by_side design compares two organisations; "
                              f"both are {config['baseline']['name']} (set organisation=...)")
        configs[name] = config
    return configs


def has_parameter(config: dict, name: str) -> bool:
    """Whether the scenario has a number at the dotted ``name``."""
    try:
        number_at(config, name, "")
    except ConfigError:
        return False
    return True


def check_parameters(configs: dict[str, dict], ranges: dict[str, Range], key: str) -> None:
    """Every parameter exists in at least one design's scenario, and both ends of its range
    pass that scenario's own validation."""
    for name, r in ranges.items():
        where = [c for c in configs.values() if has_parameter(c, name)]
        if not where:
            number_at(next(iter(configs.values())), name, key)  # raises: no such parameter
        for config in where:
            check_ranges(config, {name: r}, key)
    for config in configs.values():   # together: no corner of the box may flip a direction
        check_directions(config, {n: (r.low, r.high) for n, r in ranges.items() if has_parameter(config, n)}, key)


@dataclass(frozen=True, eq=False)
class Designs:
    """Parameter values -> every design's statistics, under one seed."""
    configs: dict[str, dict]
    sets: dict[str, TargetSet]
    parameters: list[str]
    replications: int
    seed: int

    def seed_for(self, values: dict[str, float], salt: str = "") -> int:
        """A seed from the parameter values (a hash), so no global random state is used."""
        text = json.dumps([self.seed, salt, [repr(float(values[k])) for k in self.parameters]])
        return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")

    @cached_property
    def _shared(self) -> dict[str, str]:
        """Per target set, the first set with the same scenario: their arms are the same runs."""
        first: dict[str, str] = {}
        out = {}
        for name, config in self.configs.items():
            text = json.dumps(config, sort_keys=True, default=str)
            out[name] = first.setdefault(text, name)
        return out

    def statistics(self, values: dict[str, float], salt: str = "") -> dict[str, float]:
        """Every set's statistics at ``values`` (``<set>.<metric>``)."""
        seed = self.seed_for(values, salt)
        arms: dict[tuple[str, str], list[ArmResult]] = {}
        out: dict[str, float] = {}
        for name, ts in self.sets.items():
            config = self.configs[name]
            mine = {k: v for k, v in values.items() if has_parameter(config, k)}
            sc, _ = load(with_values(config, mine, seed=seed, replications=self.replications,
                                     progress=False, n_jobs=1, event_log=False), sources=False)

            def arm(which: str, sc=sc, scope=self._shared[name]) -> list[ArmResult]:
                if (scope, which) not in arms:
                    org = sc.baseline if which == "baseline" else sc.organisation
                    arms[(scope, which)] = [simulate(sc, org, rep, tables=False) for rep in range(self.replications)]
                return arms[(scope, which)]

            if ts.design == "prepost":
                stats = prepost_ratios(arm("organisation"))
            elif ts.design == "baseline":
                stats = levels(arm("baseline"))
            else:
                stats = side_by_side(arm("organisation"), arm("baseline"))
            out.update({f"{name}.{k}": v for k, v in stats.items()})
        return out

    def __call__(self, parameter) -> dict[str, float]:
        """pyabc's model interface: a particle's parameters to the simulated statistics."""
        return self.statistics({k: float(parameter[safe(k)]) for k in self.parameters})


def safe(name: str) -> str:
    """pyabc parameter names: no dots."""
    return name.replace(".", "__")


def prepost_ratios(results: list[ArmResult]) -> dict[str, float]:
    """The cohort's after/before ratios, counts pooled over replications."""
    counts = pd.concat([r.prepost for r in results])
    if "calendar" in counts.columns:
        counts = counts[counts.calendar == WITH_TREND]
    total = counts.groupby(["period", "measure"]).value.sum()
    out = {}
    for m in PREPOST_METRICS:
        pre = total[("pre", m)]
        out[m] = float(total[("post", m)] / pre) if pre > 0 else float("nan")
    return out


def levels(results: list[ArmResult]) -> dict[str, float]:
    """The baseline's levels: each metric's mean over replications (NaN-free ones)."""
    out = {}
    for m in BASELINE_METRICS:
        v = np.array([r.metrics[m] for r in results], float)
        v = v[np.isfinite(v)]
        out[m] = float(v.mean()) if len(v) else float("nan")
    return out


def side_by_side(treated: list[ArmResult], control: list[ArmResult]) -> dict[str, float]:
    """Ratios of pooled rates per citizen-year (organisation / baseline), and the control
    arm's bed days per citizen-month."""
    def rate(results: list[ArmResult], m: str) -> float:
        years = sum(r.metrics["citizen_years"] for r in results)
        return sum(r.metrics[m] for r in results) / years if years else float("nan")
    out = {}
    for m in SIDE_BY_SIDE_METRICS:
        base = rate(control, m)
        out[m] = rate(treated, m) / base if base > 0 else float("nan")
    out[CONTROL_USE] = per_month(rate(control, "bed_days"))
    return out
