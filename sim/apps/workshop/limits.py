"""The workshop server's limits (``limits.yaml`` beside this file, or the file
``FACTSIM_WORKSHOP_LIMITS`` names): what one upload, one run and the whole server may use,
each figure with its reason under ``sources``.

:func:`check_run` is asked before any run starts, of the configuration as composed, so
an upload, the catchment editor, a lever and a preset meet the same limits. A refusal is
a :class:`Refusal`: the key of a sentence of the page's words
(:mod:`sim.apps.workshop.words`) and its values, so the page says it in the leader's
language.
"""
from __future__ import annotations

import fnmatch
import functools
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.config.errors import ConfigError
from sim.config.validate import build, nonneg, pos

LIMITS = Path(__file__).with_name("limits.yaml")
ENVIRONMENT = "FACTSIM_WORKSHOP_LIMITS"   # a copy of limits.yaml with the region's own figures


class Refusal(Exception):
    """What the page refuses, as the key of one sentence of its words and the values the
    sentence names (never a path of the server, never a traceback)."""

    def __init__(self, word: str, **values: Any):
        super().__init__(word, values)
        self.word, self.values = word, values

    def sentence(self, words: Mapping[str, str]) -> str:
        """The refusal in the language of ``words`` (the page's words of one language)."""
        return words[self.word].format(**{k: _shown(v) for k, v in self.values.items()})


def _shown(value: Any) -> str:
    """A value as a sentence shows it: numbers with thousands separators, text cut short."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")    # Danish and English readers both read 30.000
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return text if len(text) <= 80 else f"{text[:60]}..."


@dataclass(frozen=True)
class Upload:
    """What an uploaded catchment file may hold."""
    max_bytes: int = pos()
    max_depth: int = pos()
    max_nodes: int = pos()
    max_text_chars: int = pos()
    max_number_chars: int = pos()


@dataclass(frozen=True)
class Work:
    """How much one run may simulate, and for how long."""
    max_citizens: int = pos()
    max_citizen_years: int = pos()
    max_replications: int = pos()
    run_seconds: float = pos()


@dataclass(frozen=True)
class Range:
    """A parameter's allowed range on the server (either end may be open)."""
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Server:
    """How the server shares its cores and its disk."""
    cores_per_run: int = pos()
    concurrent_runs: int = nonneg()       # 0: the cores / cores_per_run, at least 2
    max_waiting: int = nonneg()
    lock_seconds: float = pos()
    keep_days: float = pos()
    quota_mb: float = pos()
    keep_newest: int = nonneg()
    in_use_minutes: float = nonneg()

    def slots(self) -> int:
        """How many runs go at once."""
        if self.concurrent_runs:
            return self.concurrent_runs
        return max(2, (os.cpu_count() or 1) // self.cores_per_run)


@dataclass(frozen=True)
class Limits:
    """Every limit of the workshop server (limits.yaml)."""
    upload: Upload
    work: Work
    server: Server
    ranges: dict[str, Range] = field(default_factory=dict)


@functools.cache
def limits(path: str | None = None) -> Limits:
    """The server's limits: ``path``, else the file ``FACTSIM_WORKSHOP_LIMITS`` names,
    else the shipped limits.yaml; a limit without a reason is refused."""
    where = Path(path or os.environ.get(ENVIRONMENT) or LIMITS)
    data = yaml.safe_load(where.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where.name}: must be a mapping with upload, work, ranges and server")
    sources = data.get("sources") or {}
    for group in ("upload", "work", "ranges", "server"):
        for key in data.get(group) or {}:
            if not (sources.get(group) or {}).get(key):
                raise ConfigError(f"{where.name}: {group}.{key}: no reason given under sources.{group}")
    return build(Limits, {k: v for k, v in data.items() if k != "sources"}, "limits")


def _matches(config: Mapping, pattern: str) -> Iterator[tuple[str, Any]]:
    """Every (dotted key, value) of ``config`` the ``pattern`` names (``*``: any one name)."""
    def walk(node: Any, parts: list[str], prefix: str) -> Iterator[tuple[str, Any]]:
        if not parts:
            yield prefix, node
            return
        if not isinstance(node, Mapping):
            return
        head, rest = parts[0], parts[1:]
        for key, value in node.items():
            if key != "sources" and fnmatch.fnmatchcase(str(key), head):
                yield from walk(value, rest, f"{prefix}.{key}" if prefix else str(key))
    yield from walk(config, pattern.split("."), "")


def check_ranges(config: Mapping, ranges: Mapping[str, Range]) -> None:
    """Every parameter the ranges name lies within its range (a value not given, or null
    such as unlimited beds, is not checked)."""
    for pattern, allowed in ranges.items():
        for key, value in _matches(config, pattern):
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            if allowed.max is not None and not value <= allowed.max:
                raise Refusal("limit_max", key=key, value=value, limit=allowed.max)
            if allowed.min is not None and not value >= allowed.min:
                raise Refusal("limit_min", key=key, value=value, limit=allowed.min)


def check_citizens(citizens: float, work: Work) -> None:
    """The catchment's target group is one the server simulates."""
    if not math.isfinite(citizens) or citizens > work.max_citizens:
        raise Refusal("limit_citizens", citizens=round(citizens) if math.isfinite(citizens) else citizens,
                      limit=work.max_citizens)


def citizen_years(scenario) -> float:
    """How much a run simulates: citizens x years (warm-up and results) x replications x
    organisations compared (x parameter draws, if any)."""
    draws = scenario.uncertainty.draws if scenario.uncertainty is not None else 0
    years = scenario.warmup_years + scenario.results_years
    return (scenario.population.target_group * years * scenario.replications * len(scenario.organisations)
            * max(1, draws))


def check_run(scenario, config: Mapping, given: Limits | None = None) -> None:
    """Everything a run must meet before it starts: its parameters' ranges, its
    catchment's size, its replications and its citizen-years."""
    lim = given or limits()
    check_ranges(config, lim.ranges)
    check_citizens(scenario.population.target_group, lim.work)
    if scenario.replications > lim.work.max_replications:
        raise Refusal("limit_replications", value=scenario.replications, limit=lim.work.max_replications)
    work = citizen_years(scenario)
    if work > lim.work.max_citizen_years:
        raise Refusal("limit_work", citizens=round(scenario.population.target_group),
                      years=scenario.warmup_years + scenario.results_years, replications=scenario.replications,
                      organisations=len(scenario.organisations), work=round(work),
                      limit=lim.work.max_citizen_years)
