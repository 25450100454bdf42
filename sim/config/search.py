"""An optimising sweep's search space: the levers a planner gives as ``interval()``,
``range()``, ``choice()`` or ``tag(log, interval(...))`` with the optimising sweeper
(``hydra/sweeper=optuna``), read from Hydra's own parse of the overrides.

Following Hydra's Optuna sweeper: ``interval(a, b)`` is a float lever between a and b,
whole numbers if both ends are whole (or with ``tag(int, ...)``), on a log scale with
``tag(log, ...)``; ``range(start, stop, step)`` a lever in steps (stop not included);
``choice(a, b, c)`` one of its values. The preflight checks every corner of the space
(each lever at its ends, every choice) before any trial runs.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Literal

from sim.config.errors import ConfigError

# the optimising sweeper's name in hydra/sweeper=..., and its class
SWEEPER = "optuna"
SWEEPER_TARGET = "hydra_plugins.factsim_optuna.sweeper.FactsimOptunaSweeper"
# corners of a search space checked before a study; more are sampled, not all checked
MAX_CORNERS = 256


@dataclass(frozen=True)
class Lever:
    """One dimension of the search space."""
    key: str
    kind: Literal["float", "int", "categorical"]
    low: float | None = None
    high: float | None = None
    step: float | None = None
    log: bool = False
    choices: tuple[Any, ...] = ()

    @property
    def ends(self) -> tuple[Any, ...]:
        """The values the preflight checks: both ends, or every choice."""
        return self.choices if self.kind == "categorical" else (self.low, self.high)

    def override(self, value: Any) -> str:
        """The Hydra override that sets this lever to ``value``."""
        return f"{self.key}={value}"

    def clean(self, value: Any) -> Any:
        """A suggested value as the job gets it: whole numbers as int, a stepped float rounded
        to its step (no 0.6000000000000001)."""
        if self.kind == "int":
            return int(value)
        if self.kind == "float":
            return round(float(value), 10)
        return value


def selected(hydra_overrides: list[str]) -> bool:
    """Whether the command selects the optimising sweeper (``hydra/sweeper=optuna``)."""
    return any(a.lstrip("+").partition("=")[0] == "hydra/sweeper" and a.partition("=")[2] == SWEEPER
               for a in hydra_overrides)


def lever(ov) -> Lever | None:
    """The lever of one parsed override, or None for a plain value."""
    from hydra.core.override_parser.types import ChoiceSweep, IntervalSweep, RangeSweep

    if not ov.is_sweep_override():
        return None
    key = ov.get_key_element().lstrip("+~")
    value = ov.value()
    tags = set(getattr(value, "tags", ()) or ())
    if isinstance(value, IntervalSweep):
        low, high = value.start, value.end
        if low is None or high is None or not low < high:
            raise ConfigError(f"{ov.input_line}: interval(low, high) needs low < high")
        # whole numbers as Hydra's Optuna sweeper reads them: int(interval(a, b)) (or tag(int, ...))
        whole = "int" in tags or (isinstance(low, int) and isinstance(high, int))
        if "log" in tags and low <= 0:
            raise ConfigError(f"{ov.input_line}: a log scale needs ends above 0")
        return Lever(key, "int" if whole else "float", low=int(low) if whole else float(low),
                     high=int(high) if whole else float(high), log="log" in tags)
    if isinstance(value, RangeSweep):
        values = list(itertools.islice(ov.sweep_iterator(), 100_001))
        if len(values) < 2:
            raise ConfigError(f"{ov.input_line}: a range of {len(values)} value(s); give at least two")
        whole = all(isinstance(v, int) for v in values)
        step = value.step
        return Lever(key, "int" if whole else "float", low=values[0], high=round(values[-1], 10) if not whole
                     else values[-1], step=step if whole else float(step), log="log" in tags)
    if isinstance(value, ChoiceSweep):
        choices = tuple(ov.sweep_iterator())
        if len(choices) < 2:
            raise ConfigError(f"{ov.input_line}: choice() of one value is not a lever; set it (key=value)")
        return Lever(key, "categorical", choices=choices)
    raise ConfigError(f"{ov.input_line}: glob() is not a lever of an optimising sweep; use choice(a,b,c)")


def search_space(parsed: list) -> tuple[list[Lever], list[str]]:
    """The levers and the plain overrides of parsed overrides."""
    levers, fixed = [], []
    for ov in parsed:
        one = lever(ov)
        if one is None:
            fixed.append(ov.input_line)
        else:
            levers.append(one)
    keys = [lv.key for lv in levers]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise ConfigError(f"{twice[0]}: given twice in the search space")
    return levers, fixed


def corners(levers: list[Lever]) -> list[list[str]]:
    """Every combination of the levers' ends (at most :data:`MAX_CORNERS`, spread over them)."""
    combos = list(itertools.islice(itertools.product(*(lv.ends for lv in levers)), MAX_CORNERS * 16))
    if len(combos) > MAX_CORNERS:
        stride = len(combos) / MAX_CORNERS
        combos = [combos[int(i * stride)] for i in range(MAX_CORNERS)]
    return [[lv.override(v) for lv, v in zip(levers, combo)] for combo in combos]
