"""An uploaded catchment file is data, never configuration code.

The page reads the bytes a leader uploads under the limits of ``limits.yaml`` (size,
nesting, number of values, length of a text or a number), with YAML's safe reader and
without anchors or aliases; it refuses what Hydra would treat as code (``${...}``
interpolations, a ``defaults:`` list, an ``@package`` line), validates the rest as a
catchment (the command line's own schema and its sources), and checks the server's
limits on its figures. Only then does it write a clean copy of its own (the values as
YAML writes them) into the upload namespace, ``<outputs>/uploads/<digest>/population/
upload_<name>.yaml``: the page's choice ``upload_<name>`` cannot be shadowed by a shipped
catchment of the same name (no shipped file starts with ``upload_``).

Every refusal is a :class:`~sim.apps.workshop.limits.Refusal`: one sentence of the
page's words naming what is wrong, never a path of the server or a traceback. Nothing
here takes a lock: a refusal comes in milliseconds, and reading never waits for another
session's run.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sim.apps.workshop.limits import Refusal, Upload, check_citizens, check_ranges, limits
from sim.config.errors import ConfigError
from sim.config.load import source_of, split_sources
from sim.config.params import Population
from sim.config.validate import build

PREFIX = "upload_"     # the namespace of uploaded catchments among the population choices
FOLDER = "uploads"     # under the workshop's outputs
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml's reader when it is there
_PACKAGE = re.compile(r"^\s*#\s*@package", re.MULTILINE)
_NUMBER = re.compile(r"[-+]?(\.?[0-9][0-9_.,:eE+-]*|\.inf|\.nan)", re.IGNORECASE)


@dataclass(frozen=True)
class Accepted:
    """An upload the page accepted: the config folder of its clean copy and its choice
    of the population group (``upload_<name>``)."""
    folder: Path
    choice: str


def accept(data: bytes, name: str, outputs: Path, given: Upload | None = None) -> Accepted:
    """Read, check and keep an uploaded catchment; raise :class:`Refusal` naming what is wrong."""
    lim = limits()
    rules = given or lim.upload
    values = read(data, rules)
    catchment(values)
    population, _ = split_sources(values)
    try:
        checked = build(Population, population, "population")
    except ConfigError as err:
        raise Refusal("upload_invalid", message=_cut(str(err))) from None
    check_ranges({"population": population}, lim.ranges)
    check_citizens(checked.target_group, lim.work)
    return _keep(values, name, Path(outputs))


def read(data: bytes, rules: Upload) -> dict:
    """The upload's values: UTF-8 text, one YAML document, within the limits, a mapping."""
    if len(data) > rules.max_bytes:
        raise Refusal("upload_too_big", size=-(-len(data) // 1024), limit=rules.max_bytes // 1024)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal("upload_not_text") from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise Refusal("upload_not_text")
    package = _PACKAGE.search(text)
    if package:
        raise Refusal("upload_package", line=text.count("\n", 0, package.start()) + 1)
    _scan(text, rules)
    try:
        values = yaml.load(text, Loader=_LOADER)   # noqa: S506 - the safe loader; anchors refused above
    except (yaml.YAMLError, ValueError, OverflowError):   # a value YAML's safe types cannot hold
        raise Refusal("upload_not_yaml", line="?", problem="a value cannot be read") from None
    if not isinstance(values, dict) or not values:
        raise Refusal("upload_not_catchment")
    return values


def _scan(text: str, rules: Upload) -> None:
    """Walk the YAML's events (no values are built yet): no anchors or aliases, no more
    than one document, within the depth, the number of values and their lengths."""
    depth = nodes = documents = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            line = event.start_mark.line + 1 if event.start_mark is not None else "?"
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise Refusal("upload_documents")
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise Refusal("upload_alias", line=line)
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > rules.max_depth:
                    raise Refusal("upload_deep", line=line, limit=rules.max_depth)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if nodes > rules.max_nodes:
                    raise Refusal("upload_many", limit=rules.max_nodes)
            if isinstance(event, yaml.ScalarEvent):
                if getattr(event, "tag", None) not in (None, "!"):   # !!python/..., !!binary, !custom
                    raise Refusal("upload_tag", line=line)
                value = event.value
                if not event.style and len(value) > rules.max_number_chars and _NUMBER.fullmatch(value):
                    raise Refusal("upload_number", line=line, chars=len(value), limit=rules.max_number_chars)
                if len(value) > rules.max_text_chars:
                    raise Refusal("upload_long", line=line, chars=len(value), limit=rules.max_text_chars)
            elif isinstance(event, yaml.CollectionStartEvent) and getattr(event, "tag", None) is not None:
                raise Refusal("upload_tag", line=line)
    except yaml.MarkedYAMLError as err:
        line = err.problem_mark.line + 1 if err.problem_mark is not None else "?"
        if "nesting depth" in str(err.problem):   # libyaml's own limit, met before ours in a flow collection
            raise Refusal("upload_deep", line=line, limit=rules.max_depth) from None
        raise Refusal("upload_not_yaml", line=line, problem=_cut(str(err.problem or err.context or ""))) from None
    except yaml.YAMLError:
        raise Refusal("upload_not_yaml", line="?", problem="") from None


def catchment(values: dict) -> None:
    """A catchment's values only: text keys, no Hydra defaults list, no interpolation
    anywhere, and a source for every figure."""
    if "defaults" in values:
        raise Refusal("upload_defaults")
    for key, value in _walk(values, ""):   # Hydra would resolve ${...}: the server's files, its environment
        if "${" in key or (isinstance(value, str) and "${" in value):
            raise Refusal("upload_interpolation", key=key)
    figures, sources = split_sources(values)
    for key, _ in _walk(figures, ""):   # every figure has its source, as the command line asks
        if "[" not in key and not isinstance(_at(figures, key), Mapping) and source_of(sources, key) is None:
            raise Refusal("upload_invalid", message=f"population.{key}: no source given; add it under "
                          "sources (a citation, or 'assumption: why')")


def _walk(node: Any, prefix: str):
    """Every (dotted key, value) of a YAML tree; a key that is not text is refused."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if not isinstance(key, str):
                raise Refusal("upload_key", key=prefix or "population", value=str(key))
            name = f"{prefix}.{key}" if prefix else key
            yield name, value
            yield from _walk(value, name)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            name = f"{prefix}[{i}]"
            yield name, value
            yield from _walk(value, name)


def _at(tree: Mapping, key: str) -> Any:
    """The value at a dotted key of a tree (keys without dots of their own)."""
    node: Any = tree
    for part in key.split("."):
        node = node[part]
    return node


def stem(name: str) -> str:
    """The upload's name as a config choice: the file's own name, lower case, letters,
    digits and underscores only (any folder part of the name dropped)."""
    base = re.split(r"[\\/]", name)[-1]
    base = base.rsplit(".", 1)[0] if "." in base else base
    clean = re.sub(r"[^a-z0-9_]", "_", base.lower()).strip("_")[:40]
    return clean or "catchment"


def _keep(values: dict, name: str, outputs: Path) -> Accepted:
    """Write the page's own copy of the values (never the uploaded bytes) into the
    upload namespace; the same values and name give the same folder."""
    text = yaml.safe_dump(values, allow_unicode=True, sort_keys=False)
    choice = PREFIX + stem(name)
    digest = hashlib.sha256(f"{choice}\n{text}".encode()).hexdigest()[:16]
    folder = outputs / FOLDER / digest
    target = folder / "population" / f"{choice}.yaml"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, target)   # another session reading it sees the whole file or none
    os.utime(folder)   # in use: housekeeping keeps it
    return Accepted(folder.resolve(), choice)


def _cut(text: str, width: int = 200) -> str:
    """A message cut to one short line, with no path of the server in it."""
    from sim.apps.workshop.public import public

    line = " ".join(public(text).split())
    return line if len(line) <= width else f"{line[:width - 3]}..."
