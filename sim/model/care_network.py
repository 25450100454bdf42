"""An organisation's teams laid over a catchment: who serves which citizen.

The organisation's ``team_base`` places its teams (:func:`sim.config.layout.plan_sites`):
one instance of each team per site (the whole catchment, each municipality, each
cluster, or a planner's layout), driving from the site's base to the municipalities it
covers; a team marked ``per_municipality`` is one per municipality whatever the sites.
Staff are sized per 100 citizens of the expected target group the team covers (or fixed
by the layout), so organisations are compared at the staffing their YAML states.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from sim.config.layout import plan_sites
from sim.config.params import Clinical, Organisation, Population
from sim.model.recorder import Recorder
from sim.model.team import Team


@dataclass(frozen=True)
class CareTeams:
    """The teams responsible for the citizens of one municipality."""
    case_management: Team
    social_support: Team
    intensive: Team
    outreach: Team | None

    @property
    def routine(self) -> tuple[Team, ...]:
        """Distinct teams with routine contact (one if one team holds both roles)."""
        if self.case_management is self.social_support:
            return (self.case_management,)
        return (self.case_management, self.social_support)


class CareNetwork:
    """The teams of one organisation over a catchment, and which of them serve each municipality."""
    def __init__(self, org: Organisation, population: Population, clinical: Clinical,
                 recorder: Recorder, covered: dict[str, float] | None = None):
        """``covered``: citizens served per municipality, when not the expected target
        group (a study's enrolled cohort); staff are sized per 100 of them."""
        self.org = org
        self.teams: list[Team] = []
        # what a change of care level does to the teams' load, per (municipality, from,
        # to): the same for every citizen of a municipality, so it is worked out once
        self.moves: dict[tuple[str, str, str], tuple] = {}
        # the detection channels' fixed parts, per (municipality, on intensive care, engaged)
        self.channels: dict[tuple[str, bool, bool], tuple] = {}
        self._by_municipality: dict[str, CareTeams] = {}
        munis = population.municipalities
        size = covered or {m: spec.target_group for m, spec in munis.items()}
        minutes = clinical.contact_minutes
        for site in plan_sites(org, population, "organisation"):   # validated with the scenario
            built = {}
            travel = {m: population.travel_minutes(site.base, m) for m in site.covers}
            for name, spec in org.teams.items():
                if spec.per_municipality:
                    continue
                if name in site.municipal_share:
                    spec = replace(spec, municipal_share=site.municipal_share[name])
                built[name] = Team(name if site.name is None else f"{name}:{site.name}", spec,
                                   sum(size[m] for m in site.covers), travel, minutes, recorder,
                                   fte=site.fte.get(name), site=site.label, base=site.base)
            self.teams.extend(built.values())
            for m in site.covers:
                local = {name: Team(f"{name}:{m}", spec, size[m], {m: population.travel_minutes(m, m)},
                                    minutes, recorder, site=population.municipality_label(m), base=m)
                         for name, spec in org.teams.items() if spec.per_municipality}
                self.teams.extend(local.values())
                self._by_municipality[m] = self._care({**built, **local})

    def _care(self, built: dict[str, Team]) -> CareTeams:
        outreach = [t for n, t in built.items() if self.org.teams[n].assertive_outreach]
        return CareTeams(
            case_management=built[self.org.team_with("case_management")],
            social_support=built[self.org.team_with("social_support")],
            intensive=built[self.org.team_with("intensive")],
            outreach=outreach[0] if outreach else None,
        )

    def for_municipality(self, municipality: str) -> CareTeams:
        """The teams responsible for the citizens of ``municipality``."""
        return self._by_municipality[municipality]

    def info_prob(self, seen_by: Team, acting: Team) -> float:
        """Chance that a warning sign seen by one team reaches the team that can scale up."""
        if seen_by is acting:
            return 1.0
        if seen_by.spec.sectors & acting.spec.sectors:
            return self.org.within_sector_info_prob
        return self.org.cross_sector_info_prob

    def plans(self, care: CareTeams) -> int:
        """Separate plans a citizen has in the community (one if the plan is shared)."""
        return 1 if self.org.shared_plan else len(care.routine)

    def close(self, now: float) -> None:
        """Integrate every team's load up to ``now`` and add its totals to the recorder."""
        for team in self.teams:
            team.close(now)
