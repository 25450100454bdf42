"""Does an organisation's staffing carry the contact pattern it promises? (mechanism 7)

A static check made from the configuration before the model runs. For every team:
the hours per week its staff give to citizens (capacity), the hours its routine
contacts ask when every citizen it serves is in routine care (contacts per week x
(contact time + the round trip for a home visit)), and the share of capacity its
board may take for intensive care. The rule a planner can read:

    routine hours + the board's share  <=  capacity

When it does not hold, routine contacts will be lost whenever the board is full, and
the run says so in one line and in its ``capacity`` table. The model itself does not
use this table: it serves intensive care first and counts every routine contact it
cannot give (``contacts_lost``).
"""
from __future__ import annotations

from dataclasses import dataclass

from sim.config.params import CarePlan, Clinical
from sim.model.care_network import CareNetwork
from sim.model.recorder import Recorder


@dataclass(frozen=True)
class TeamCapacity:
    """One team's capacity check: what its staff give and what its contact pattern asks, per week."""
    organisation: str
    team: str
    label: str
    citizens: float          # citizens the team serves (expected target group)
    fte: float
    capacity_hours: float    # per week, for contacts and driving
    routine_hours: float     # per week asked by routine contacts with everyone in routine care
    board_hours: float       # per week the board may take for intensive care
    driving_hours: float     # per week of the routine hours spent driving
    site: str = ""           # where the team works (its site's name)
    base: str = ""           # the municipality it drives from ("" for the catchment's base)
    covers: tuple[str, ...] = ()   # the municipalities whose citizens it serves
    case_management: bool = False   # holds the citizens' case management (their "own" team)

    @property
    def demand_share(self) -> float:
        """(routine + board) / capacity: above 1 the team cannot keep its promises."""
        need = self.routine_hours + self.board_hours
        if self.capacity_hours <= 0:
            return float("inf") if need > 0 else 0.0
        return need / self.capacity_hours

    @property
    def routine_shortfall(self) -> float:
        """Share of routine contacts lost when the board is full."""
        if self.routine_hours <= 0:
            return 0.0
        free = max(0.0, self.capacity_hours - self.board_hours)
        return max(0.0, 1.0 - free / self.routine_hours)

    def warning(self) -> str | None:
        """One line for the user when routine contacts will be lost, else None."""
        if self.routine_shortfall <= 0:
            return None
        return (f"capacity: {self.organisation} team '{self.team}' ({self.label}): routine contacts "
                f"ask {self.routine_hours:.0f} h/week and the board may take {self.board_hours:.0f}, "
                f"but the staff give {self.capacity_hours:.0f} h/week; about "
                f"{100 * self.routine_shortfall:.0f} % of routine contacts are lost when the board is full")


def team_capacity(plan: CarePlan, clinical: Clinical) -> list[TeamCapacity]:
    """The capacity check for every team of a care plan (an organisation over a catchment)."""
    org = plan.organisation
    net = CareNetwork(plan, clinical, Recorder(0.0, 0.0))
    routine = {id(t): 0.0 for t in net.teams}
    driving = dict(routine)
    citizens = dict(routine)
    covers: dict[int, list[str]] = {id(t): [] for t in net.teams}
    for m, n in plan.citizens.items():
        care = net.for_municipality(m)
        for team in {id(t): t for t in (care.case_management, care.social_support, care.intensive)}.values():
            citizens[id(team)] += n
            covers[id(team)].append(m)
        for team in care.routine:
            per_week = team.spec.routine_contacts_per_week * n
            hours, drive = team.contact_hours(m, team.spec.home_visits)
            routine[id(team)] += per_week * hours
            driving[id(team)] += per_week * drive
    rows = []
    for team in net.teams:
        spec = team.spec
        board = team.capacity * spec.max_intensive_share if spec.intensive else 0.0
        # a team that only does intensive care has no routine promise to break
        rows.append(TeamCapacity(org.name, team.name, spec.label, citizens[id(team)],
                                 sum(team.fte_by_sector.values()), team.capacity,
                                 routine[id(team)], board, driving[id(team)], team.site,
                                 team.base or "", tuple(covers[id(team)]), spec.case_management))
    return rows
