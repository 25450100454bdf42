"""A roll-out in one replication: the organisation's teams start site by site.

The catchment starts in the baseline organisation. Each site of the plan
(:class:`sim.config.rollout.Rollout`) is a care network of its own, built at the start
of the run with no staff. On its dates:

1. **staff released**: ``released_weeks`` before the start the team's first staff are
   paid, building a common ground, and give no care;
2. **start**: the team gives care with the first share of its staff; the site's
   entrants join it, and the citizens already there move at once or, with gradual
   enrolment, each on a day drawn uniformly over the intake period (a stream of the
   roll-out's own); the baseline teams that served them lend the new team their staff
   for the citizens who have moved, monthly, so staff move with their citizens and are
   never paid twice (a team built up ahead of its citizens costs extra meanwhile);
3. **build-up**: monthly, the team's staff grow to the ramp's end, and the fidelity
   parameters mature from the plan's start values towards the organisation's own.

Every staff change is logged (day, team, FTE by sector, municipalities covered) so that
FTE and money can be counted by calendar year.
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Final

import pandas as pd

from sim.config.params import CarePlan, Organisation, TeamSpec
from sim.config.rollout import Rollout, SiteStart
from sim.config.units import DAYS_PER_MONTH, DAYS_PER_YEAR
from sim.model.care_network import CareNetwork
from sim.model.catchment import Catchment
from sim.model.citizen import Citizen
from sim.model.streams import generator
from sim.model.team import Team

ROLLOUT_KEY: Final = 2**32 - 2   # the spawn key of the roll-out's intake days: no replication has it


class StaffChange:
    """One team's staff from a day on: FTE by sector and the municipalities it covers."""
    __slots__ = ("day", "team", "regional", "municipal", "covers")

    def __init__(self, day: float, team: Team, covers: tuple[str, ...]):
        self.day = day
        self.team = team.name
        self.regional = team.fte_by_sector["regional"]
        self.municipal = team.fte_by_sector["municipal"]
        self.covers = covers


class SiteTeams:
    """One site of the plan in one replication: its care network, its start and ramps."""

    def __init__(self, name: str, plan: CarePlan, site: SiteStart, rollout: Rollout, model: Catchment[Citizen],
                 start: float):
        self.name = name
        self.site = site
        self.start = start
        self.covers = plan.sites[name]
        teams = tuple(replace(t, fte=site.fte.get(t.kind, t.fte)) for t in plan.teams
                      if set(t.covers) <= set(self.covers))
        self.covers_of = {t.name: t.covers for t in teams}
        sub = replace(plan, teams=teams, care={m: plan.care[m] for m in self.covers})
        self.network = CareNetwork(sub, model.clinical, model.rec)
        self.full_org: Organisation = plan.organisation
        self.full_specs: dict[str, TeamSpec] = {t.name: t.spec for t in self.network.teams}
        self.fidelity = rollout.fidelity
        self.team_fidelity = rollout.team_fidelity
        for team in self.network.teams:
            team.restaff(0.0, 0.0, caring=False)   # no staff until the plan's dates

    def mature(self, level: float) -> None:
        """Set the fidelity parameters at ``level`` of the way from the plan's start values
        to the organisation's own (1: the organisation as configured)."""
        between = lambda start, full: start + level * (full - start)  # noqa: E731
        org = {name: between(start, getattr(self.full_org, name)) for name, start in self.fidelity.items()}
        self.network.org = replace(self.full_org, **org)
        for team in self.network.teams:
            spec = self.full_specs[team.name]
            starts = self.team_fidelity.get(team.base_name, {})
            team.spec = replace(spec, **{f: between(start, getattr(spec, f)) for f, start in starts.items()})
        self.network.channels.clear()   # the detection channels hold reach and delays


class RollOut:
    """The plan's sites starting on their dates in one replication of ``model``."""

    def __init__(self, model: Catchment[Citizen], plan: CarePlan, rollout: Rollout):
        self.model = model
        self.rollout = rollout
        warmup = model.scenario.warmup_years * DAYS_PER_YEAR
        starts = rollout.start_days(warmup)
        self.sites = [SiteTeams(name, plan, site, rollout, model, starts[name])
                      for name, site in rollout.sites.items()]
        self.baseline_covers = {t.name: t.covers for t in model.plan.teams}
        # each baseline team's share of staff lent, per site
        self.lent: dict[str, dict[int, float]] = {name: {} for name in self.baseline_covers}
        self.staffing: list[StaffChange] = []
        for team in model.network.teams:
            self._log(0.0, team, self.baseline_covers[team.name])
        for index, site in enumerate(self.sites):
            model.networks.append(site.network)
            for team in site.network.teams:
                self._log(0.0, team, site.covers_of[team.name])
            model.env.process(self._run(index, site))

    def _log(self, day: float, team: Team, covers: tuple[str, ...]) -> None:
        self.staffing.append(StaffChange(day, team, covers))

    def _staff(self, site: SiteTeams, share: float, caring: bool) -> None:
        now = self.model.env.now
        for team in site.network.teams:
            team.restaff(now, share, caring)
            self._log(now, team, site.covers_of[team.name])

    def _until(self, day: float):
        now = self.model.env.now
        if day > now:
            yield self.model.env.timeout(day - now)

    def _run(self, index: int, site: SiteTeams):
        """One site's dates: staff released, the start, then the monthly build-up."""
        model, spec = self.model, site.site
        staff, maturity = spec.staff.steps(), spec.maturity.steps()
        if spec.released_days > 0:
            yield from self._until(site.start - spec.released_days)
            self._staff(site, staff[0][1], caring=False)
        yield from self._until(site.start)
        site.mature(maturity[0][1])
        self._staff(site, staff[0][1], caring=True)
        for m in site.covers:
            model.serving[m] = site.network
        self._enrol(index, site)
        ramp = sorted([(d, "staff", v) for d, v in staff[1:]] + [(d, "maturity", v) for d, v in maturity[1:]])
        for after, what, value in ramp:
            yield from self._until(site.start + after)
            if what == "staff":
                self._staff(site, value, caring=True)
                continue
            site.mature(value)
            for citizen in model.census.citizens.values():
                if citizen.net is site.network:
                    citizen.reread_organisation()

    def _enrol(self, index: int, site: SiteTeams) -> None:
        """The citizens already in the site's municipalities: all now, or each on a day drawn
        uniformly over the intake period; the baseline lends their staff as they move."""
        model, spec = self.model, site.site
        movers = [c for c in model.census.citizens.values() if c.attrs.municipality in site.covers]
        if spec.enrolment == "at_once":
            for citizen in movers:
                citizen.transfer(site.network)
            self._lend(index, 1.0)
            return
        u = generator(model.seed, ROLLOUT_KEY, model.replication, index).random(len(movers)).tolist()
        days = sorted((site.start + x * spec.intake_months * DAYS_PER_MONTH, i) for i, x in enumerate(u))
        model.env.process(self._intake(index, site, days, movers))

    def _intake(self, index: int, site: SiteTeams, order: list[tuple[float, int]], movers: list):
        """Gradual enrolment: each citizen already there moves on their own day; at the end
        of each month the baseline lends the share of the site's staff that the citizens
        moved so far make up (all of it when the intake ends)."""
        alive = self.model.census.citizens
        month_ends = [site.start + k * DAYS_PER_MONTH for k in range(1, math.ceil(site.site.intake_months) + 1)]
        month = 0
        for moved, (day, i) in enumerate(order):
            while month < len(month_ends) and day > month_ends[month]:
                yield from self._until(month_ends[month])
                self._lend(index, moved / len(movers))
                month += 1
            yield from self._until(day)
            citizen = movers[i]
            if citizen.id in alive and citizen.net is not site.network:
                citizen.transfer(site.network)
        self._lend(index, 1.0)

    def _lend(self, index: int, share: float) -> None:
        """The baseline teams lend the site's team the staff of the citizens who have moved:
        each keeps, of its staff for the site's municipalities, the part for the citizens it
        still serves (``share``: the part of the site's citizens moved). Staff move with
        their citizens and are never paid twice; a new team built up faster than its
        citizens arrive costs extra for that while."""
        now, citizens = self.model.env.now, self.model.plan.citizens
        covers = self.sites[index].covers
        for team in self.model.network.teams:
            served = self.baseline_covers[team.name]
            moved = sum(citizens[m] for m in served if m in covers)
            if not moved:
                continue
            total = sum(citizens[m] for m in served)
            self.lent[team.name][index] = share * moved / total
            team.restaff(now, max(0.0, 1.0 - sum(self.lent[team.name].values())), caring=True)
            self._log(now, team, served)

    def staffing_frame(self) -> pd.DataFrame:
        """Every staff change: day, team, FTE regional and municipal from then on, and the
        municipalities the team covers (space-separated)."""
        return pd.DataFrame([(c.day, c.team, c.regional, c.municipal, " ".join(c.covers)) for c in self.staffing],
                            columns=["day", "team", "fte_regional", "fte_municipal", "covers"])
