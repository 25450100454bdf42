"""Presets: every point of the shipped experiments (``scenarios/experiment/*.yaml``) as
one set-up a facilitator picks with one click.

An experiment file chooses config groups (``override /population: horsens_klyngen``) and
sweeps values (``hydra.sweeper.params``); each combination of the swept values is a
preset. Nothing is copied: the presets are read from the experiment files themselves.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import yaml

from sim.config import paths
from sim.output import words
from sim.output.merge import typed

GROUPS = ("population", "organisation", "organisation@baseline", "layout", "layout@baseline")


@dataclass(frozen=True)
class Preset:
    """One point of a shipped experiment: its config-group choices and other overrides."""
    experiment: str
    choices: dict[str, str]       # config group (as the command line names it) -> choice
    overrides: tuple[str, ...]    # other keys, key=value
    fixed: tuple[str, ...] = ()   # the groups the experiment fixes (not shown in the label)

    def label(self, lang: str) -> str:
        """The point's values, by readable names in ``lang`` (its question is :meth:`question`)."""
        parts = [f"{words.parameter(k.split('@')[0], lang)}: {_value(k, v, lang)}"
                 for k, v in self.choices.items() if k in self.swept]
        for override in self.overrides:
            key, _, value = override.partition("=")
            parts.append(f"{words.parameter(key, lang)}: {_value(key, typed(value), lang)}")
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def question(self, lang: str) -> str:
        """The question the point's experiment asks, in plain words in ``lang``."""
        from sim.apps.workshop.words import PRESET_GROUPS

        names = PRESET_GROUPS.get(self.experiment)
        return names[0 if lang == "da" else 1] if names else self.experiment.replace("_", " ")

    @property
    def swept(self) -> set[str]:
        """The choices the experiment sweeps (shown in the label), not those it fixes."""
        return set(self.choices) - set(self.fixed)


def _value(key: str, value, lang: str) -> str:
    """A preset's value as a leader reads it: a share in %, a number as ``lang`` writes it,
    a choice by its readable name."""
    if isinstance(value, float) and not isinstance(value, bool) and key.endswith(("share", "share.municipal",
                                                                                  "share.regional")):
        return f"{words.value(round(100 * value, 1), lang)} %"
    return words.value(value, lang)


def presets(folder: Path = paths.SCENARIOS) -> list[Preset]:
    """Every point of every shipped experiment, in file order."""
    out = []
    for path in sorted((Path(folder) / "experiment").glob("*.yaml")):
        data = yaml.safe_load(path.read_text()) or {}
        fixed = {}
        for entry in data.get("defaults") or []:
            if isinstance(entry, dict):
                for key, value in entry.items():
                    group = key.removeprefix("override ").lstrip("/")
                    if group in GROUPS:
                        fixed[group] = str(value)
        params = ((data.get("hydra") or {}).get("sweeper") or {}).get("params") or {}
        keys = list(params)
        values = [[v.strip() for v in str(params[k]).split(",")] for k in keys]
        for point in itertools.product(*values):
            choices, overrides = dict(fixed), []
            for key, value in zip(keys, point):
                if key in GROUPS:
                    choices[key] = value
                else:
                    overrides.append(f"{key}={value}")
            out.append(Preset(path.stem, choices, tuple(overrides), tuple(fixed)))
    return out
