"""Calibration targets from several study designs, and the one distance that combines them.

A *target set* is what one kind of study measured, with the design the model must run to
measure the same thing (``docs/model.md``, Calibration):

- ``prepost``: the enrolled cohort's after/before ratios in a pre/post study, such as the
  Norwegian FACT evaluation ([landheim2020], [nkrop2020]);
- ``baseline``: levels and shapes of hospital use under the baseline organisation, such
  as Danish national statistics ([kl2021], [kl2022], [dk2015], [dk2017]);
- ``side_by_side``: the organisation's effect against the baseline on the same citizens
  under common random numbers, the design of a randomised trial ([burns2007],
  [dieterich2017]).

Each target is a value with the range the evidence allows. The distance scales each
target's miss by the half of its range on the side of the miss, averages the squared
misses within a set and weights the sets (``weight`` in the set's YAML), so a set with
many targets does not outweigh a set with one, and a target known to +-10 % pulls as
hard as one known to +-1 day. A controlled effect may depend on how much hospital care
the comparison arm uses (Burns et al. 2007): a ``meta_regression`` target is resolved
for the control use each simulation produces.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import yaml

from sim.config.errors import ConfigError
from sim.config.units import DAYS_PER_MONTH, DAYS_PER_YEAR
from sim.config.validate import build, nonneg
from sim.experiments.prepost import MEASURES

# what each design measures (the model's metric names; docs/model.md, Calibration, explains each)
PREPOST_METRICS = MEASURES
BASELINE_METRICS = ("bed_days_per_citizen_year", "admissions_per_citizen_year", "mean_length_of_stay",
                    "stays_with_blocking_share", "blocking_days_per_blocked_stay",
                    "admissions_per_admitted_citizen_year", "single_admission_share", "heavy_user_share",
                    "coercive_share_of_admissions")
SIDE_BY_SIDE_METRICS = ("bed_days", "admissions", "coercive_admissions", "coercive_bed_days", "crises",
                        "people_admitted")
DESIGN_METRICS = {"prepost": PREPOST_METRICS, "baseline": BASELINE_METRICS,
                  "side_by_side": SIDE_BY_SIDE_METRICS}
CONTROL_USE = "control_days_per_month"   # the side-by-side control arm's bed days per citizen-month


@dataclass(frozen=True)
class Target:
    """A published figure: its value and the range the evidence allows."""
    value: float
    low: float
    high: float

    def validate(self, path):
        """The range must hold the value and be finite."""
        if not all(math.isfinite(v) for v in (self.value, self.low, self.high)):
            raise ConfigError(f"{path}: value, low and high must be finite numbers")
        if not self.low <= self.value <= self.high or not self.low < self.high:
            raise ConfigError(f"{path}: needs low <= value <= high and low < high "
                              f"(got {self.low:g}, {self.value:g}, {self.high:g})")


@dataclass(frozen=True)
class MetaRegression:
    """A controlled effect that grows with the control arm's use of hospital care:

        difference in days per citizen-month = slope x max(0, control use - zero_use)

    ``slope`` is the meta-regression coefficient on control-group use (days per month
    per day per month of use) and ``zero_use`` the control use at which trials find no
    reduction. The target ratio is ``1 + difference / control use``, its range the
    extremes over both ranges."""
    slope: Target
    zero_use: Target

    def validate(self, path):
        """A negative zero_use has no meaning."""
        if self.zero_use.low < 0:
            raise ConfigError(f"{path}.zero_use.low: must be >= 0 (days per month)")

    def resolve(self, control_use: float) -> Target:
        """The ratio target for a control arm that uses ``control_use`` days per citizen-month."""
        if not control_use > 0:
            return Target(1.0, 1.0 - 1e-9, 1.0 + 1e-9)

        def ratio(slope: float, zero: float) -> float:
            return max(0.0, 1.0 + slope * max(0.0, control_use - zero) / control_use)
        corners = [ratio(s, z) for s in (self.slope.low, self.slope.high)
                   for z in (self.zero_use.low, self.zero_use.high)]
        value = ratio(self.slope.value, self.zero_use.value)
        low, high = min(corners + [value]), max(corners + [value])
        if high - low < 1e-9:
            low, high = low - 1e-9, high + 1e-9
        return Target(value, low, high)


@dataclass(frozen=True)
class TargetSet:
    """What one study design measured (calibration/targets/*.yaml)."""
    design: Literal["prepost", "baseline", "side_by_side"]
    label: str
    weight: float = nonneg(default=1.0)
    scenario: tuple[str, ...] = ()
    targets: dict[str, Target] = field(default_factory=dict)
    meta_regression: dict[str, MetaRegression] = field(default_factory=dict)
    directions: dict[str, Literal["fewer", "more"]] = field(default_factory=dict)

    def validate(self, path):
        """Metrics must be ones the design measures; a set needs at least one target."""
        allowed = DESIGN_METRICS[self.design]
        if not self.targets and not self.meta_regression:
            raise ConfigError(f"{path}.targets: at least one target is needed to calibrate against")
        for key in ("targets", "meta_regression", "directions"):
            unknown = sorted(set(getattr(self, key)) - set(allowed))
            if unknown:
                raise ConfigError(f"{path}.{key}.{unknown[0]}: not a {self.design} metric; "
                                  f"allowed: {', '.join(allowed)}")
        if self.meta_regression and self.design != "side_by_side":
            raise ConfigError(f"{path}.meta_regression: only a side_by_side design has a control arm "
                              "whose use the effect can depend on")
        both = sorted(set(self.targets) & set(self.meta_regression))
        if both:
            raise ConfigError(f"{path}.meta_regression.{both[0]}: already a fixed target; give one or the other")

    @property
    def metrics(self) -> tuple[str, ...]:
        """Every metric this set fits (fixed targets, then meta-regression targets)."""
        return tuple(self.targets) + tuple(self.meta_regression)

    def resolved(self, stats: dict[str, float], name: str) -> dict[str, Target]:
        """The set's targets, meta-regression ones resolved for the simulated control use."""
        out = dict(self.targets)
        for metric, reg in self.meta_regression.items():
            out[metric] = reg.resolve(stats.get(f"{name}.{CONTROL_USE}", float("nan")))
        return out


def check_target_sets(sets: dict[str, TargetSet], key: str = "targets") -> None:
    """At least one set, and at least one set that weighs something."""
    if not sets:
        raise ConfigError(f"{key}: name at least one target set (for example targets=[strategy_paper])")
    if not any(s.weight > 0 for s in sets.values()):
        raise ConfigError(f"{key}: every target set has weight 0; give at least one a weight > 0")


def read_target_file(path: str | Path) -> tuple[str, TargetSet, dict]:
    """A target set from a YAML file of its own (a researcher's controlled study):
    its name is the file's stem; the file holds the fields of :class:`TargetSet` and
    its ``sources``. Raises ConfigError for a missing, unreadable or invalid file."""
    p = Path(path)
    key = f"extra_targets: {p}"
    if not p.is_file():
        raise ConfigError(f"{key}: no such file (give the path of a target-set YAML file)")
    try:
        data = yaml.safe_load(p.read_text())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ConfigError(f"{key}: not readable YAML ({first})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{key}: must be a mapping with design, label and targets")
    name = p.stem
    plain = {k: v for k, v in data.items() if k != "sources"}
    return name, build(TargetSet, plain, f"targets.{name}"), data


# -- the distance -----------------------------------------------------------------------------
def scaled_miss(simulated: float, target: Target) -> float:
    """The miss in units of the half-range on its side (1 = at the edge of the range)."""
    if not math.isfinite(simulated):
        return math.inf
    side = (target.value - target.low) if simulated < target.value else (target.high - target.value)
    scale = side if side > 0 else (target.high - target.low) / 2
    return (simulated - target.value) / scale


@dataclass(frozen=True, eq=False)
class Distance:
    """sqrt(sum over sets of weight x mean squared scaled miss); pyabc calls it with
    (simulated, observed) and the observed dictionary is not used: the targets are here."""
    sets: dict[str, TargetSet]

    def terms(self, stats: dict[str, float]) -> dict[str, float]:
        """Each set's weighted mean squared miss."""
        out = {}
        for name, ts in self.sets.items():
            targets = ts.resolved(stats, name)
            misses = [scaled_miss(stats.get(f"{name}.{m}", float("nan")), t) ** 2 for m, t in targets.items()]
            out[name] = ts.weight * float(np.mean(misses))
        return out

    def __call__(self, x: dict, x_0: dict | None = None, t: int | None = None, par: dict | None = None) -> float:
        """pyabc's distance interface."""
        total = sum(self.terms(x).values())
        return math.sqrt(total) if math.isfinite(total) else math.inf


def observed(sets: dict[str, TargetSet]) -> dict[str, float]:
    """The published values as one flat dictionary (what pyabc stores as observed data);
    a meta-regression target is stored as NaN, as its value depends on the simulation."""
    out = {}
    for name, ts in sets.items():
        out.update({f"{name}.{m}": t.value for m, t in ts.targets.items()})
        out.update({f"{name}.{m}": float("nan") for m in ts.meta_regression})
    return out


def per_month(per_citizen_year: float) -> float:
    """Days per citizen-year to days per citizen-month (Burns et al. report per month)."""
    return per_citizen_year / DAYS_PER_YEAR * DAYS_PER_MONTH
