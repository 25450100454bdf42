"""Configuration shared by the researchers' tools (``factsim-calibrate``,
``factsim-sensitivity``): their own YAML under ``calibration/``, the scenario they
work on (composed from ``scenarios/`` and checked as ``factsim`` checks it), and
parameters addressed by dotted names such as ``clinical.admission_prob.intensive``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sim.config.dotted import check_values, number_at, with_values  # noqa: F401 (used by the tools)
from sim.config.errors import ConfigError
from sim.config.load import load, to_container
from sim.config.params import check_directions
from sim.config.paths import CALIBRATION, SCENARIOS
from sim.output.run_folder import write_yaml


@dataclass(frozen=True)
class Range:
    """The range a parameter may take (a uniform prior, a sensitivity range)."""
    low: float
    high: float

    def validate(self, path):
        """Low must be below high."""
        if not self.low < self.high:
            raise ConfigError(f"{path}: low ({self.low:g}) must be below high ({self.high:g})")


def compose_tool(name: str, overrides: list[str]) -> dict:
    """``calibration/<name>.yaml`` with command-line overrides, as a plain dict."""
    from hydra import compose, initialize_config_dir
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    from sim.config.preflight import check_group_choices, explain, parse_overrides

    check_group_choices(overrides, [CALIBRATION])
    parse_overrides(overrides)
    with initialize_config_dir(config_dir=str(CALIBRATION), version_base="1.3"):
        try:
            cfg = compose(name, overrides=overrides)
        except (HydraException, OmegaConfBaseException) as err:
            raise ConfigError(explain(err, lambda: compose(name))) from None
    return to_container(cfg)


def without_sources(data: dict, groups: tuple[str, ...] = ()) -> dict:
    """The settings without their ``sources:`` trees (top level and in ``groups``)."""
    plain = {k: v for k, v in data.items() if k != "sources"}
    for group in groups:
        given = plain.get(group) or {}
        if not isinstance(given, dict):   # e.g. priors=... set to text on the command line
            raise ConfigError(f"{group}: must be a mapping (got {type(given).__name__}); choose a file of "
                              f"calibration/{group}/ by name")
        plain[group] = {k: v for k, v in given.items() if k != "sources"}
    return plain


def scenario_config(overrides: list[str]) -> dict:
    """The scenario as ``factsim <overrides>`` would run it, fully resolved."""
    from hydra import compose, initialize_config_dir

    from sim.config.preflight import check

    check(list(overrides), SCENARIOS)
    with initialize_config_dir(config_dir=str(SCENARIOS), version_base="1.3"):
        return to_container(compose("config", overrides=list(overrides)))


def check_ranges(config: dict, ranges: dict[str, Range], key: str) -> None:
    """Every parameter exists, and both ends of its range pass the scenario's own validation."""
    for name, r in ranges.items():
        span = f"the range {r.low:g}-{r.high:g}"
        check_values(config, name, (r.low, r.high), key, load, span.format)  # the same words for both ends
    check_directions(config, {name: (r.low, r.high) for name, r in ranges.items()}, key)


def save_settings(folder: Path, settings: dict, scenario: dict) -> list[str]:
    """The tool's resolved settings and the scenario it ran, beside its outputs."""
    return [write_yaml(folder, "config.yaml", settings), write_yaml(folder, "scenario.yaml", scenario)]
