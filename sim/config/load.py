"""From a composed Hydra config to a validated Scenario plus its provenance.

Every config group file carries a ``sources:`` tree that mirrors its parameters;
a text at any level is the source of everything below it (a citation of
``docs/evidence.md`` such as ``[landheim2020]``, or the word ``assumption`` with a reason). :func:`load` splits the
sources off, refuses any parameter without one, and validates the rest into a
frozen :class:`~sim.config.params.Scenario`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sim.config.dotted import check_values, number_at, value_at
from sim.config.errors import ConfigError
from sim.config.params import Economy, Scenario, Valuation, build_scenario, check_directions
from sim.config.validate import build

GROUPS = ("population", "clinical", "organisation", "baseline", "costs", "economy", "study", "uncertainty",
          "objective", "valuation", "rollout")
RUN_KEYS = ("seed", "replications", "warmup_years", "results_years", "n_jobs", "event_log",
            "progress", "plots")


def to_container(cfg) -> dict:
    """A plain dict from an OmegaConf config (resolved), or a dict as it is."""
    from omegaconf import DictConfig, OmegaConf

    if isinstance(cfg, DictConfig):
        data = OmegaConf.to_container(cfg, resolve=True)
        return data if isinstance(data, dict) else {"": data}
    return dict(cfg)


def split_sources(tree: Mapping) -> tuple[dict, Any]:
    """Return (values without 'sources', the sources tree or None)."""
    values = {k: v for k, v in tree.items() if k != "sources"}
    return values, tree.get("sources")


def _leaves(tree: Any, prefix: str = "") -> Iterable[tuple[str, Any]]:
    if isinstance(tree, Mapping) and tree:
        for k, v in tree.items():
            yield from _leaves(v, f"{prefix}.{k}" if prefix else str(k))
    else:
        yield prefix, tree


def source_of(sources: Any, relpath: str) -> str | None:
    """The source text covering ``relpath`` (dotted, relative to the group). A key of
    the sources tree may itself hold dots (a parameter named by its dotted name); a key
    ``*`` stands for any one name (the same field of every municipality of a region)."""
    node, rest = sources, relpath
    while True:
        if isinstance(node, str):
            return node
        if not isinstance(node, Mapping) or not rest:
            return None
        keys = [k for k in node if rest == k or rest.startswith(f"{k}.")]
        if keys:
            key = max(keys, key=len)
            node, rest = node[key], rest[len(key) + 1:]
        elif "*" in node:
            node, rest = node["*"], rest.partition(".")[2]
        else:
            return None


def provenance(data: Mapping, overrides: Iterable[str] = ()) -> list[dict]:
    """One row per parameter: name, value, source, and the override that set it, if any."""
    overridden = {}
    for ov in overrides:
        key, _, _val = ov.lstrip("+~").partition("=")
        overridden[key] = ov
    rows = []
    for group in ("run",) + GROUPS:
        if group == "run":
            values = {k: data[k] for k in RUN_KEYS if k in data}
            sources = data.get("sources") or {}
        else:
            if data.get(group) is None:
                continue
            values, sources = split_sources(data[group])
        for rel, value in _leaves(values):
            name = rel if group == "run" else f"{group}.{rel}"
            src = source_of(sources, rel)
            hit = next((ov for key, ov in overridden.items()
                        if key not in GROUPS and "@" not in key
                        and (name == key or name.startswith(key + "."))), "")
            if src is None and hit:
                src = f"set on the command line ({hit})"
            if src is None:
                raise ConfigError(
                    f"{name}: no source given; add it under {group + '.' if group != 'run' else ''}"
                    f"sources (a citation such as [landheim2020] from docs/evidence.md, or 'assumption: why')")
            rows.append({"parameter": name, "value": repr(value) if not isinstance(value, str)
                         else value, "source": src, "override": hit})
    return rows


def load(cfg, overrides: Iterable[str] = (), sources: bool = True) -> tuple[Scenario, list[dict]]:
    """Validate a composed config; return the Scenario and its provenance rows.

    ``sources=False``: no provenance rows (an empty list), for a tool that builds many
    scenarios from one configuration whose sources it has checked once (a calibration's
    or a sensitivity analysis's points)."""
    data = to_container(cfg)
    if not isinstance(data, Mapping):
        raise ConfigError("the configuration must be a mapping")
    plain = {k: v for k, v in data.items() if k != "sources"}
    for group in GROUPS:
        if isinstance(plain.get(group), Mapping):
            plain[group] = split_sources(plain[group])[0] or None  # an empty group: not given
    scenario = build_scenario(plain)
    u = scenario.uncertainty
    if u is not None:   # checked even with no draws: a wrong name is wrong whatever the count
        check_uncertain(plain, {k: d.ends for k, d in (u.parameters or {}).items()}, "uncertainty.parameters",
                        lambda v: f"the value {v:g} at an end of its distribution")
        if u.posterior is not None:
            check_uncertain(plain, u.posterior.ends, "uncertainty.posterior.parameters",
                            lambda v: f"the particle value {v:g}")
    if scenario.valuation is not None:
        check_valuation(plain, scenario.valuation)
    return scenario, (provenance(data, overrides) if sources else [])


def check_valuation(plain: dict, valuation: Valuation) -> None:
    """Every parameter a valuation's group names exists in the scenario and is a number
    (drawn or not: one not drawn in a run adds nothing to its group there), and each
    drawn price's ends pass the economy's own validation."""
    base = {k: v for k, v in plain.items() if k not in ("uncertainty", "valuation")}
    for group, names in valuation.groups.items():
        for name in names:
            number_at(base, name, f"valuation.groups.{group}")
    for name, dist in (valuation.prices or {}).items():
        if value_at(base, name) is None:
            raise ConfigError(f"valuation.prices.{name}: the run has no economy to price (economy=dkk)")
        check_values(base, name, dist.ends, "valuation.prices", _economy,
                     lambda v: f"the value {v:g} at an end of its distribution")


def _economy(config: dict) -> Economy:
    """A configuration's economy, validated (a price drawn changes nothing else)."""
    return build(Economy, config["economy"], "economy")


def check_uncertain(plain: dict, ends: Mapping[str, tuple[float, ...]], key: str,
                    what: Callable[[float], str]) -> None:
    """Each uncertain parameter (a distribution's, a posterior's) exists in the scenario,
    is a number, and the values at its ends pass the scenario's own validation (a
    probability stays in [0, 1])."""
    base = {k: v for k, v in plain.items() if k != "uncertainty"}
    for name, values in ends.items():
        if name.split(".")[0] in ("uncertainty", "seed", "replications"):
            raise ConfigError(f"{key}.{name}: not a model parameter")
        check_values(base, name, values, key, build_scenario, what)
    check_directions(base, dict(ends), key)
