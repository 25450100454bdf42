"""Turn a plain mapping (from Hydra/YAML) into a frozen, validated dataclass.

Each dataclass field may carry ``metadata={"check": ...}`` with one of the
checks below. Unknown keys, missing keys, wrong types and out-of-range values
raise :class:`ConfigError` naming the full dotted key and what is allowed.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import types
import typing
from dataclasses import field
from typing import Any, Literal, Union, get_args, get_origin

from sim.config.errors import ConfigError

CHECKS = {
    "prob": (lambda v: 0.0 <= v <= 1.0, "a probability in [0, 1]"),
    "nonneg": (lambda v: v >= 0, "a number >= 0"),
    "pos": (lambda v: v > 0, "a number > 0"),
    "share": (lambda v: 0.0 <= v < 1.0, "a share in [0, 1)"),
    "ratio": (lambda v: v >= 0, "a ratio >= 0 (1 means no change)"),
    "benefit": (lambda v: 0.0 < v <= 1.0, "a ratio in (0, 1] (1 means no benefit; more support never harms)"),
}


def prob(**kw):
    """A dataclass field that must be a probability in [0, 1]."""
    return field(metadata={"check": "prob"}, **kw)


def nonneg(**kw):
    """A dataclass field that must be a number >= 0."""
    return field(metadata={"check": "nonneg"}, **kw)


def pos(**kw):
    """A dataclass field that must be a number > 0."""
    return field(metadata={"check": "pos"}, **kw)


def share(**kw):
    """A dataclass field that must be a share in [0, 1)."""
    return field(metadata={"check": "share"}, **kw)


def ratio(**kw):
    """A dataclass field that must be a ratio >= 0 (1 means no change)."""
    return field(metadata={"check": "ratio"}, **kw)


def benefit(**kw):
    """A dataclass field that is a benefit's ratio at full dose, in (0, 1]: support
    delivered can shorten or lower, never lengthen or raise."""
    return field(metadata={"check": "benefit"}, **kw)


def build(cls, data: Any, path: str = ""):
    """Build ``cls`` (a dataclass) from ``data`` (a mapping), validating as we go."""
    return _convert(cls, data, path, check=None)


def _where(path: str) -> str:
    return path or "<top level>"


def _convert(tp, value, path: str, check: str | None):
    origin = get_origin(tp)
    if origin is Union or origin is types.UnionType:  # Optional[X], X | None
        args = [a for a in get_args(tp) if a is not type(None)]
        if value is None:
            if type(None) in get_args(tp):
                return None
        return _convert(args[0], value, path, check)
    if value is None:
        raise ConfigError(f"{_where(path)}: a value is required (got null)")
    if dataclasses.is_dataclass(tp):
        return _dataclass(tp, value, path)
    if origin is Literal:
        allowed = get_args(tp)
        if value not in allowed:
            raise ConfigError(
                f"{_where(path)} = {value!r}: must be one of {', '.join(map(str, allowed))}")
        return value
    if origin is dict:
        key_t, val_t = get_args(tp)
        if not isinstance(value, typing.Mapping):
            raise ConfigError(f"{_where(path)}: must be a mapping of name to value")
        return {str(k): _convert(val_t, v, f"{path}.{k}", check) for k, v in value.items()}
    if origin is tuple:
        (item_t, _ellipsis) = get_args(tp)
        if isinstance(value, (str, bytes)) or not isinstance(value, typing.Sequence):
            raise ConfigError(f"{_where(path)}: must be a list")
        return tuple(_convert(item_t, v, f"{path}[{i}]", check) for i, v in enumerate(value))
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{_where(path)} = {value!r}: must be true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{_where(path)} = {value!r}: must be a whole number")
        return _checked(value, path, check)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{_where(path)} = {value!r}: must be a number")
        if not math.isfinite(value):
            raise ConfigError(f"{_where(path)} = {value!r}: must be a finite number")
        return _checked(float(value), path, check)
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(f"{_where(path)} = {value!r}: must be text")
        return value
    raise TypeError(f"unsupported parameter type {tp!r} at {path}")  # programming error


def _checked(value, path, check):
    if check is None:
        return value
    ok, allowed = CHECKS[check]
    if not ok(value):
        raise ConfigError(f"{_where(path)} = {value!r}: must be {allowed}")
    return value


@functools.cache
def _hints(cls) -> dict[str, Any]:
    """A dataclass's field types (resolved once per class: a calibration builds thousands
    of scenarios)."""
    return typing.get_type_hints(cls)


def _dataclass(cls, value, path):
    if not isinstance(value, typing.Mapping):
        raise ConfigError(f"{_where(path)}: must be a mapping with keys "
                          f"{', '.join(f.name for f in dataclasses.fields(cls))}")
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(map(str, value)) - set(fields))
    if unknown:
        key = f"{path}.{unknown[0]}" if path else unknown[0]
        raise ConfigError(f"unknown key '{key}'; allowed keys here: {', '.join(sorted(fields))}")
    kwargs = {}
    for name, f in fields.items():
        sub = f"{path}.{name}" if path else name
        if name not in value:
            if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
                continue
            raise ConfigError(f"missing key '{sub}'")
        kwargs[name] = _convert(hints[name], value[name], sub, f.metadata.get("check"))
    obj = cls(**kwargs)
    post = getattr(obj, "validate", None)
    if post is not None:
        post(path)
    return obj
