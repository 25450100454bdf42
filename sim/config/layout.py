"""Team layouts: where an organisation's teams are based and which municipalities each covers.

An organisation's ``team_base`` says how its teams are laid over the catchment:

- ``catchment``: one instance of each team for the whole catchment, driving from the
  catchment's base;
- ``municipality``: one per municipality, driving within it;
- ``cluster``: one per cluster of municipalities (population.clusters), driving from
  the cluster's base town;
- ``layout``: the sites a planner writes (layout/*.yaml): each with its base, the
  municipalities it covers, and optionally fixed staff (FTE) or a municipal share of
  case managers per team instead of the organisation's staff per 100 citizens.

A team marked ``per_municipality`` (a municipal service such as social psychiatry) is
one per municipality whatever the layout. Every municipality is covered by exactly one
site; a site's teams are staffed per 100 citizens of the target group of the
municipalities it covers, unless its ``fte`` fixes a team's staff.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sim.config.errors import ConfigError

if TYPE_CHECKING:   # only for type hints: params imports this module
    from sim.config.params import Organisation, Population

@dataclass(frozen=True)
class Site:
    """One place a planner bases the organisation's teams (layout.sites.<name>)."""
    base: str                    # the municipality whose main town the teams drive from
    covers: tuple[str, ...]      # the municipalities whose citizens they serve
    label: str | None = None     # a readable name (the site's key if not given)
    label_da: str | None = None
    # per team of the organisation: fixed staff in FTE instead of staff per 100 citizens
    fte: dict[str, float] = field(default_factory=dict, metadata={"check": "pos"})
    # per team: municipal share of case-manager FTE (as the team's municipal_share knob)
    municipal_share: dict[str, float] = field(default_factory=dict, metadata={"check": "prob"})


@dataclass(frozen=True)
class Layout:
    """A planner's team layout (layout/*.yaml): named sites over the catchment."""
    name: str
    label: str
    label_da: str
    sites: dict[str, Site]


@dataclass(frozen=True)
class SitePlan:
    """Where one instance of the organisation's teams works: resolved from ``team_base``.

    ``name`` None: the one site of a catchment-wide organisation (its teams keep their
    plain names); ``base`` None: the catchment's base of a population without town
    positions (its ``travel_minutes_cluster``)."""
    name: str | None
    label: str
    base: str | None
    covers: tuple[str, ...]
    fte: dict[str, float]
    municipal_share: dict[str, float]


def plan_sites(org: Organisation, population: Population, path: str) -> list[SitePlan]:
    """The sites of ``org`` over ``population``; raises ConfigError naming the key under
    ``path`` (``organisation`` or ``baseline``) when the layout does not fit."""
    munis = population.municipalities
    label = population.municipality_label
    if org.team_base == "catchment":
        sites = [SitePlan(None, population.name, population.base, tuple(munis), {}, {})]
    elif org.team_base == "municipality":
        sites = [SitePlan(m, label(m), m, (m,), {}, {}) for m in munis]
    elif org.team_base == "cluster":
        sites = _cluster_sites(population, path)
    else:
        sites = _layout_sites(org, population, path)
    for site in sites:
        for m in site.covers:
            population.check_travel(site.base, m, f"{path}.team_base = {org.team_base}")
    return sites


def _cluster_sites(population: Population, path: str) -> list[SitePlan]:
    if not population.clusters:
        raise ConfigError(f"{path}.team_base = cluster: population '{population.name}' has no "
                          "clusters (population.clusters); allowed here: catchment, municipality, layout")
    members: dict[str, list[str]] = {}
    for m, spec in population.municipalities.items():
        members.setdefault(spec.cluster, []).append(m)
    return [SitePlan(c, population.clusters[c].label, population.clusters[c].base, tuple(ms), {}, {})
            for c, ms in members.items()]


def _layout_sites(org: Organisation, population: Population, path: str) -> list[SitePlan]:
    layout = org.layout
    where = f"{path}.layout.sites"
    munis = population.municipalities
    allowed = ", ".join(munis)
    covered_by: dict[str, str] = {}
    sites = []
    for name, site in layout.sites.items():
        if site.base not in munis:
            raise ConfigError(f"{where}.{name}.base = {site.base!r}: not a municipality of the catchment "
                              f"'{population.name}'; allowed: {allowed}")
        if not site.covers:
            raise ConfigError(f"{where}.{name}.covers: a site must cover at least one municipality")
        for m in site.covers:
            if m not in munis:
                raise ConfigError(f"{where}.{name}.covers: {m!r} is not a municipality of the catchment "
                                  f"'{population.name}'; allowed: {allowed}")
            if m in covered_by:
                raise ConfigError(f"{where}.{name}.covers: {m!r} is already covered by site "
                                  f"'{covered_by[m]}'; each municipality by exactly one site")
            covered_by[m] = name
        for key in ("fte", "municipal_share"):
            unknown = sorted(set(getattr(site, key)) - set(org.teams))
            if unknown:
                raise ConfigError(f"{where}.{name}.{key}.{unknown[0]}: no team '{unknown[0]}' in "
                                  f"organisation '{org.name}'; allowed: {', '.join(org.teams)}")
        for team, share in site.municipal_share.items():
            org.teams[team].check_municipal_share(share, f"{where}.{name}.municipal_share.{team}")
        citizens = sum(munis[m].target_group for m in site.covers)
        staffed_per_100 = [t for t in org.teams if t not in site.fte and not org.teams[t].per_municipality]
        if citizens <= 0 and staffed_per_100:
            raise ConfigError(f"{where}.{name}: team '{staffed_per_100[0]}' would have no staff (no "
                              f"citizens of the target group in {', '.join(site.covers)}, and staff are "
                              f"per 100 citizens); give it staff with {where}.{name}.fte.{staffed_per_100[0]}")
        for team in site.fte:
            if org.teams[team].fte_per_100_total <= 0:
                raise ConfigError(f"{where}.{name}.fte.{team}: team '{team}' has no staff entries "
                                  "with FTE to scale to a fixed number")
        sites.append(SitePlan(name, site.label or name, site.base, tuple(site.covers),
                              dict(site.fte), dict(site.municipal_share)))
    missing = [m for m in munis if m not in covered_by]
    if missing:
        raise ConfigError(f"{where}: municipality {missing[0]!r} is covered by no site; every municipality "
                          f"of '{population.name}' must be covered by exactly one")
    return sites
