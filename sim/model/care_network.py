"""An organisation's teams over a catchment, built from its care plan: who serves which citizen.

The configuration lays the organisation over the catchment once
(:class:`sim.config.params.CarePlan`): its teams with their sites, the municipalities
each covers, the driving from its base and how its staff are set. The network turns
each planned team into a :class:`~sim.model.team.Team` and says which of them serve the
citizens of each municipality. Staff are sized per 100 citizens of the expected target
group a team covers (or fixed by the layout), so organisations are compared at the
staffing their YAML states.
"""
from __future__ import annotations

from dataclasses import dataclass

from sim.config.params import CarePlan, Clinical
from sim.model.recorder import Recorder
from sim.model.team import Moves, Team


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
    def __init__(self, plan: CarePlan, clinical: Clinical, recorder: Recorder,
                 covered: dict[str, float] | None = None):
        """``covered``: citizens served per municipality, when not the expected target
        group (a study's enrolled cohort); staff are sized per 100 of them."""
        self.org = plan.organisation
        # what a change of care level does to the teams' load, per (municipality, from,
        # to): the same for every citizen of a municipality, so it is worked out once
        self.moves: dict[tuple[str, str, str], Moves] = {}
        # the detection channels' fixed parts, per (municipality, on intensive care, engaged)
        self.channels: dict[tuple[str, bool, bool], tuple] = {}
        minutes = clinical.contact_minutes
        by_name: dict[str, Team] = {}
        for planned in plan.teams:
            citizens = planned.citizens if covered is None else sum(covered[m] for m in planned.covers)
            by_name[planned.name] = Team(planned.name, planned.spec, citizens, planned.travel_minutes, minutes,
                                         recorder, fte=planned.fte, site=planned.site, base=planned.base)
        self.teams: list[Team] = list(by_name.values())
        self._by_municipality = {
            m: CareTeams(by_name[care.case_management], by_name[care.social_support], by_name[care.intensive],
                         None if care.outreach is None else by_name[care.outreach])
            for m, care in plan.care.items()}

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
