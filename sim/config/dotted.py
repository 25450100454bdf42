"""Parameters addressed by dotted names, such as ``clinical.admission_prob.intensive``:
read one from a plain configuration, set some in a copy of it, or set them in the
frozen parameter objects themselves (for parameter draws, without composing again)."""
from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from sim.config.errors import ConfigError

_ABSENT = object()


def value_at(config: dict, dotted: str, default: Any = None) -> Any:
    """The value at ``dotted`` in a plain configuration (a scenario's, a run's saved one),
    or ``default`` if a key on the way is missing or is a ``sources`` tree."""
    node: Any = config
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node or part == "sources":
            return default
        node = node[part]
    return node


def number_at(config: dict, dotted: str, key: str) -> float:
    """The number at ``dotted`` in a scenario; ``key`` names the setting that asked for it."""
    node = value_at(config, dotted, _ABSENT)
    if node is _ABSENT:
        raise ConfigError(f"{key}.{dotted}: no such parameter in the scenario")
    if isinstance(node, (dict, bool)) or not isinstance(node, (int, float)):
        raise ConfigError(f"{key}.{dotted}: not a number in the scenario")
    return float(node)


def with_values(config: dict, values: dict[str, float], **run) -> dict:
    """A copy of ``config`` with parameters set by dotted name and run keys replaced."""
    new = copy.deepcopy(config)
    for dotted, value in values.items():
        *parents, leaf = dotted.split(".")
        node = new
        for p in parents:
            node = node[p]
        node[leaf] = float(value)
    new.update(run)
    return new


def check_values(config: dict, name: str, values: Iterable[float], key: str,
                 validate: Callable[[dict], Any], what: Callable[[float], str]) -> None:
    """The parameter ``name`` exists in ``config`` and is a number, and each of ``values``
    passes ``validate`` when set there; otherwise one ConfigError naming ``key.name`` and
    ``what(value)`` (for example a range's ends: a probability stays in [0, 1])."""
    number_at(config, name, key)
    for value in values:
        try:
            validate(with_values(config, {name: value}))
        except ConfigError as err:
            raise ConfigError(f"{key}.{name}: {what(value)} is not allowed ({err})") from None


def replaced(obj: Any, dotted: str, value: float) -> Any:
    """A copy of a frozen parameter object with the number at ``dotted`` set to ``value``
    (dataclass fields and dict keys along the way are copied, nothing is changed in place)."""
    head, _, rest = dotted.partition(".")
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        inner = getattr(obj, head)
        return dataclasses.replace(obj, **{head: replaced(inner, rest, value) if rest else float(value)})
    if isinstance(obj, dict):
        new = dict(obj)
        new[head] = replaced(obj[head], rest, value) if rest else float(value)
        return new
    raise KeyError(dotted)
