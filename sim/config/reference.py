"""The configuration reference: every key, from the parameter classes and the shipped YAML.

Two parts, both generated, so the reference cannot drift from the code or the files:

- :func:`schema` walks the frozen parameter classes from :class:`~sim.config.params.Scenario`
  down: each key's dotted name (``<name>`` where a mapping takes names of your own, as
  ``population.municipalities.<municipality>.adults``), its type, what the validation
  allows, and the comment that explains it in the class's source;
- :func:`yaml_keys` flattens every shipped YAML file (``scenarios/``, ``calibration/``)
  into its dotted keys under the file's Hydra package, each with its value and the
  source that covers it (a ``sources:`` text covers everything below it).

:func:`markdown` writes both as the documentation's page (``docs/gen_pages.py`` calls it
when the site is built; ``python -m sim.config.reference`` prints it).
"""
from __future__ import annotations

import dataclasses
import inspect
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import yaml

from sim.config.params import Scenario
from sim.config.paths import CALIBRATION, SCENARIOS
from sim.config.validate import CHECKS

# what a mapping's own names stand for, by the field that holds them
PLACEHOLDERS = {"municipalities": "municipality", "clusters": "cluster", "teams": "team",
                "staff": "member", "sites": "site", "parameters": "parameter",
                "pulled_back_share": "sector", "fte": "team", "municipal_share": "team",
                "age_bands": "band", "diagnoses": "diagnosis", "diagnosis_hazard_ratio": "diagnosis",
                "admission_prob": "support", "coercion_prob": "support", "los_mean_days": "stay",
                "outcomes": "outcome", "groups": "group", "prices": "parameter", "fidelity": "field",
                "team_fidelity": "team"}
# placeholders that stand for a dotted name of their own (a parameter such as clinical.los_shape)
DOTTED = {"parameter"}
# top-level fields whose keys are those of another one
SAME_AS = {"baseline": "organisation"}
# the settings of the research commands: their own configuration roots
TOOLS = {"config.yaml": "factsim-calibrate", "sensitivity.yaml": "factsim-sensitivity"}


@dataclass(frozen=True)
class Key:
    """One documented key of the parameter classes."""
    name: str          # dotted, with <placeholders> for names of your own
    type: str          # as a reader writes it: number, whole number, text, yes/no, one of ...
    allowed: str       # what the validation allows ("" when the type says it all)
    required: bool
    doc: str           # the comment beside the field, or the class's first line for a section


@dataclass(frozen=True)
class YamlKey:
    """One key set by a shipped YAML file."""
    name: str          # dotted, under the file's package
    value: Any
    source: str        # the sources: text that covers it ("" if none)


# -- the parameter classes ----------------------------------------------------------------------

def _comments(cls: type) -> dict[str, str]:
    """The comment of each field in the class's source: on its line, or the lines just above it."""
    try:
        lines = inspect.getsource(cls).splitlines()
    except (OSError, TypeError):
        return {}
    found: dict[str, str] = {}
    above: list[str] = []
    for line in lines[1:]:
        stripped = line.strip()
        if stripped.startswith("#"):
            above.append(stripped.lstrip("# ").strip())
            continue
        m = re.match(r"\s+(\w+)\s*:\s*[^#]*?(?:#\s*(.*))?$", line)
        if m and not stripped.startswith(("def ", "@", '"', "'")):
            found[m.group(1)] = "; ".join(t for t in (" ".join(above), m.group(2) or "") if t)
        above = []
    return found


def _first_line(cls: type) -> str:
    doc = inspect.getdoc(cls) or ""
    return " ".join(doc.split("\n\n")[0].split())


def _unwrap(tp: Any) -> tuple[Any, bool]:
    """The type without ``None``, and whether ``None`` was allowed."""
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        return args[0], len(args) < len(get_args(tp))
    return tp, False


def _is_section(tp: Any) -> bool:
    """Whether a field's type is a parameter class of its own (its keys go one level down)."""
    return isinstance(tp, type) and dataclasses.is_dataclass(tp)


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in get_args(tp))
    if origin is tuple:
        return f"list ({_type_name(get_args(tp)[0])})"
    return {float: "number", int: "whole number", str: "text", bool: "yes/no (true, false)"}.get(tp, str(tp))


def schema(cls: type = Scenario, prefix: str = "") -> list[Key]:
    """Every key of ``cls`` and the classes below it, in the order of their fields."""
    hints = typing.get_type_hints(cls)
    comments = _comments(cls)
    keys: list[Key] = []
    for f in dataclasses.fields(cls):
        if not f.init:   # resolved from the keys (a scenario's care plans), never written in YAML
            continue
        if not prefix and f.name in SAME_AS:
            keys.append(Key(f.name, "section", "", False,
                            f"the comparator: the same keys as `{SAME_AS[f.name]}` (`{f.name}.*`)"))
            continue
        name = f"{prefix}{f.name}"
        tp, optional = _unwrap(hints[f.name])
        required = (f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING) or (
            f.default is None and not optional)
        doc = comments.get(f.name, "")
        check = f.metadata.get("check")
        allowed = CHECKS[check][1] if check else ""
        if optional:
            allowed = f"{allowed}; null allowed" if allowed else "null allowed"
        if _is_section(tp):
            keys.append(Key(name, "section", "", required, doc or _first_line(tp)))
            keys += schema(tp, f"{name}.")
        elif get_origin(tp) is dict:
            inner, _ = _unwrap(get_args(tp)[1])
            place = f"{name}.<{PLACEHOLDERS.get(f.name, 'name')}>"
            if _is_section(inner):
                keys.append(Key(name, "section: names of your own", "", required, doc or _first_line(inner)))
                keys += schema(inner, f"{place}.")
            elif get_origin(inner) is dict:   # a mapping of mappings (a team's fidelity parameters)
                leaf, _ = _unwrap(get_args(inner)[1])
                keys.append(Key(f"{place}.<field>", _type_name(leaf), allowed, required, doc))
            else:
                keys.append(Key(place, _type_name(inner), allowed, required, doc))
        else:
            keys.append(Key(name, _type_name(tp), allowed, required, doc))
    return keys


def pattern(key: str) -> re.Pattern[str]:
    """A documented key as a pattern over concrete keys: ``<name>`` matches one part of a
    dotted key, ``<parameter>`` a whole dotted parameter name."""
    out, last = "^", 0
    for m in re.finditer(r"<([a-z_]+)>", key):
        out += re.escape(key[last:m.start()]) + (".+" if m.group(1) in DOTTED else "[^.]+")
        last = m.end()
    return re.compile(out + re.escape(key[last:]) + "$")


# -- the shipped YAML ---------------------------------------------------------------------------

def yaml_files() -> list[tuple[str, Path]]:
    """Every shipped YAML file, named as in the repository (``scenarios/...``, ``calibration/...``)."""
    return [(f"{root.name}/{p.relative_to(root)}", p)
            for root in (SCENARIOS, CALIBRATION) for p in sorted(root.rglob("*.yaml"))]


def package(name: str, text: str) -> str:
    """The dotted place a file's keys go to: its ``# @package`` line, or its config group."""
    m = re.match(r"#\s*@package\s+(\S+)", text)
    if m:
        return "" if m.group(1) == "_global_" else m.group(1)
    parts = Path(name).parts[1:-1]
    return ".".join(parts)


def _flatten(node: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, node


def _source(sources: Any, parts: list[str]) -> str:
    """The text of ``sources`` that covers the key ``parts``: the deepest one on its way."""
    found = sources if isinstance(sources, str) else ""
    node = sources
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            break
        node = node[part]
        if isinstance(node, str):
            found = node
    return found


def yaml_keys(name: str, path: Path) -> list[YamlKey]:
    """Every key a shipped file sets (its ``sources:`` tree apart), under its package."""
    text = path.read_text()
    data = yaml.safe_load(text) or {}
    under = package(name, text)
    sources = data.get("sources", {}) if isinstance(data, dict) else {}
    keys = []
    for key, value in _flatten({k: v for k, v in data.items() if k != "sources"}, ""):
        if not key:
            continue
        full = f"{under}.{key}" if under else key
        keys.append(YamlKey(full, value, _source(sources, key.split("."))))
    return keys


# -- the page -----------------------------------------------------------------------------------

def _cell(text: Any, limit: int = 0) -> str:
    """Text for one table cell: one line, pipes escaped, long values cut."""
    if isinstance(text, list):
        shown = yaml.safe_dump(text, default_flow_style=True, width=10**6).strip()
        text = shown if len(shown) <= 80 else f"a list of {len(text)} items"
    elif isinstance(text, bool):
        text = str(text).lower()
    elif text is None:
        text = "null"
    text = " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    if limit and len(text) > limit:
        text = text[:limit - 1] + "…"
    return text


INTRO = """\
# Configuration reference

Generated when the site is built (`sim/config/reference.py`), from the frozen parameter
classes in `sim/config/params.py` and from every shipped YAML file, so it cannot drift
from either. Any key is set on the command line by its dotted name
(`factsim clinical.los_shape=2`), or in a YAML file of your own (`--config-dir`); the
[model](../model.md) explains the mechanisms and the [evidence](../evidence.md) the
sources. A value the validation does not allow is refused in one line naming the key.
"""


def default_files() -> set[str]:
    """The scenario files the default run composes (``scenarios/config.yaml``'s defaults)."""
    defaults = (yaml.safe_load((SCENARIOS / "config.yaml").read_text()) or {}).get("defaults", [])
    return {f"scenarios/{group.split('@')[0]}/{choice}.yaml" for entry in defaults if isinstance(entry, dict)
            for group, choice in entry.items() if isinstance(choice, str)} | {"scenarios/config.yaml"}


def shipped_sources() -> list[YamlKey]:
    """Every key the shipped scenarios set, with its source: the default run's files first,
    then the others in name order."""
    first = default_files()
    files = sorted((f for f in yaml_files() if f[0].startswith("scenarios/")), key=lambda f: f[0] not in first)
    return [k for name, path in files for k in yaml_keys(name, path)]


def _what(key: Key, shipped: list[YamlKey]) -> str:
    """A key's explanation: its comment in the class, else the source of a shipped value."""
    if key.doc:
        return _cell(key.doc)
    match = pattern(key.name)
    for k in shipped:
        if k.source and match.match(k.name):
            return "*source:* " + _cell(k.source, 200)
    return ""


def sections(keys: list[Key]) -> dict[str, list[Key]]:
    """The keys grouped under the deepest section each belongs to ("" for the run settings),
    in the order the sections first appear."""
    names = [k.name for k in keys if k.type.startswith("section")]
    groups: dict[str, list[Key]] = {"": []}
    for name in names:
        groups[name] = []
    for k in keys:
        if k.type.startswith("section"):
            continue
        within = [n for n in names if k.name.startswith((f"{n}.", f"{n}.<"))]
        groups[max(within, key=len, default="")].append(k)
    return groups


def relative(key: str, section: str) -> str:
    """A key's name inside its section (``<municipality>.adults`` in ``population.municipalities``)."""
    return key[len(section) + 1:] if section else key


def markdown() -> str:
    """The whole reference page."""
    shipped = shipped_sources()
    keys = schema()
    by_name = {k.name: k for k in keys}
    out = [INTRO, "## Scenario keys (the parameter classes)", "",
           "Every key `factsim` reads, from `sim.config.params.Scenario` down, one table per section. "
           "`<name>` stands for a name of your own (a municipality, a team, a site). *Required* keys "
           "must be set by the composed configuration. Where the class has no comment on a key, "
           "*source* quotes why the shipped value was chosen.", ""]
    for section, members in sections(keys).items():
        head = by_name.get(section)
        out += [f"### `{section}`" if section else "### Run settings", ""]
        if head is not None:
            optional = "" if head.required else "*Optional.* "
            out += [f"{optional}{_cell(head.doc)}", ""]
        if not members:
            continue
        out += ["| key | type | allowed | required | what |", "|---|---|---|---|---|"]
        out += [f"| `{relative(k.name, section)}` | {k.type} | {k.allowed} | {'yes' if k.required else ''} | "
                f"{_what(k, shipped)} |" for k in members]
        out.append("")
    out += ["", "## The shipped files", "",
            "Every key each shipped file sets, with its value and the source that covers it. A file in a "
            "config group (`population/`, `organisation/`, ...) sets the keys under the group's name "
            "unless its first line names another package (`# @package organisation`); "
            "`calibration/config.yaml` and `calibration/sensitivity.yaml` are the settings of "
            "`factsim-calibrate` and `factsim-sensitivity`.", ""]
    for name, path in yaml_files():
        settings = yaml_keys(name, path)
        tool = TOOLS.get(path.name) if name.startswith("calibration/") and path.parent == CALIBRATION else None
        out += [f"### `{name}`", ""]
        if tool:
            out += [f"The settings of `{tool}` (its overrides take these dotted names).", ""]
        out += ["| key | value | source |", "|---|---|---|"]
        out += [f"| `{y.name}` | {_cell(y.value, 90)} | {_cell(y.source)} |" for y in settings]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown())
