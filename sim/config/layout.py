"""Team layouts: a planner's sites, where an organisation's teams are based and which
municipalities each covers (layout/*.yaml).

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

The validated scenario lays each organisation over its catchment once, by these rules,
into a :class:`~sim.config.params.CarePlan` (its sites, teams, staff and driving), which
is what the model reads.
"""
from __future__ import annotations

from dataclasses import dataclass, field


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
