"""A roll-out plan: the organisation's teams start site by site on calendar dates.

``rollout=<plan>`` (``scenarios/rollout/*.yaml``) turns a comparison into a projection
by calendar year: the catchment starts in the baseline organisation; on each site's
start date its team takes over the citizens of the municipalities it covers (at once,
or over an intake period), its staff build up from a share of the plan's staff to the
whole, and the parameters the plan names as fidelity mature from their start values to
the organisation's own over a stated time. Sites of the organisation that the plan
does not name never start in the projection.

Dates are ISO dates (``"2025-08-01"``, quoted in YAML). Day 0 of a run is 1 January of
``first_year`` less the run's warm-up; the projection's years are ``first_year`` to
``last_year`` whole.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final, Literal

from sim.config.errors import ConfigError
from sim.config.units import DAYS_PER_MONTH, DAYS_PER_WEEK, DAYS_PER_YEAR
from sim.config.validate import nonneg, prob

# what a plan may ramp as fidelity: the organisation's own fields (fidelity) and its teams'
# (team_fidelity.<team>), those that change how fast and how far information and decisions
# travel, never a team's load
ORGANISATION_FIDELITY: Final = {"within_sector_info_prob": "prob", "cross_sector_info_prob": "prob",
                                "referral_delay_mean_days": "days", "handover_delay_mean_days": "days",
                                "discharge_planning_from_admission_prob": "prob"}
TEAM_FIDELITY: Final = {"board_delay_mean_days": "days", "reengagement_mean_days": "days"}
MONTHLY: Final = DAYS_PER_MONTH   # ramps move in monthly steps


@dataclass(frozen=True)
class Ramp:
    """A share that grows from ``start`` to ``end`` in equal monthly steps over ``months``
    (0: ``end`` at once)."""
    start: float = prob()
    end: float = prob(default=1.0)
    months: float = nonneg(default=0.0)

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        if self.end < self.start:
            raise ConfigError(f"{path}.end = {self.end:g}: must be at least {path}.start = {self.start:g} "
                              "(a ramp builds up, never down)")

    def steps(self) -> list[tuple[float, float]]:
        """(days after the start, share from then on), the first at day 0."""
        n = int(round(self.months))
        if n <= 0 or self.start == self.end:
            return [(0.0, self.end)]
        return [(k * MONTHLY, self.start + (self.end - self.start) * k / n) for k in range(n + 1)]


@dataclass(frozen=True, kw_only=True)
class SiteStart:
    """When and how one site's team starts."""
    start: str                      # the day the team starts serving citizens (ISO date)
    released_weeks: float = nonneg(default=0.0)   # staff paid before the start to build a common ground, no care
    staff: Ramp = field(default_factory=lambda: Ramp(1.0))     # the team's FTE as a share of the plan's
    fte: dict[str, float] = nonneg(default_factory=dict)        # a team kind's whole staff at full strength
    enrolment: Literal["at_once", "gradual"] = "at_once"
    intake_months: float = nonneg(default=0.0)    # gradual: the covered citizens taken in over these months
    maturity: Ramp = field(default_factory=lambda: Ramp(1.0))  # fidelity from the plan's start values to full

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        self.day_of(date(2000, 1, 1), f"{path}.start")
        if self.enrolment == "gradual" and self.intake_months <= 0:
            raise ConfigError(f"{path}.intake_months = {self.intake_months:g}: gradual enrolment needs "
                              "an intake period of more than 0 months")

    def day_of(self, first: date, path: str) -> float:
        """The start as days from ``first``; raises ConfigError naming ``path`` if not a date."""
        try:
            when = date.fromisoformat(self.start)
        except (TypeError, ValueError):
            raise ConfigError(f"{path} = {self.start!r}: must be a date as YYYY-MM-DD, "
                              "quoted in YAML (\"2025-08-01\")") from None
        return float((when - first).days)

    @property
    def released_days(self) -> float:
        """Days before the start that the staff are paid without giving care."""
        return self.released_weeks * DAYS_PER_WEEK

    @property
    def longest_days(self) -> float:
        """Days after the start until every ramp of the site has ended."""
        return max(self.staff.months, self.maturity.months,
                   self.intake_months if self.enrolment == "gradual" else 0.0) * MONTHLY


@dataclass(frozen=True, kw_only=True)
class Rollout:
    """A roll-out plan over the organisation's sites, projected by calendar year."""
    name: str
    label: str
    label_da: str
    first_year: int
    last_year: int
    fidelity: dict[str, float] = field(default_factory=dict)   # organisation parameter -> its value at the start
    team_fidelity: dict[str, dict[str, float]] = field(default_factory=dict)   # team -> parameter -> start
    sites: dict[str, SiteStart]
    evaluate: bool = True   # run the evaluation designs on each replication

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        if not 1900 <= self.first_year <= 2200:
            raise ConfigError(f"{path}.first_year = {self.first_year}: must be a calendar year (1900-2200)")
        if self.last_year < self.first_year:
            raise ConfigError(f"{path}.last_year = {self.last_year}: must be at least "
                              f"{path}.first_year = {self.first_year}")
        if not self.sites:
            raise ConfigError(f"{path}.sites: a plan needs at least one site's start")
        starts = [(f"{path}.fidelity.{name}", ORGANISATION_FIDELITY, name, value)
                  for name, value in self.fidelity.items()]
        starts += [(f"{path}.team_fidelity.{team}.{name}", TEAM_FIDELITY, name, value)
                   for team, values in self.team_fidelity.items() for name, value in values.items()]
        for key, allowed, name, value in starts:
            kind = allowed.get(name)
            if kind is None:
                raise ConfigError(f"{key}: not a parameter a plan can ramp; allowed: {', '.join(allowed)}")
            if kind == "prob" and not 0.0 <= value <= 1.0:
                raise ConfigError(f"{key} = {value:g}: must be a probability in [0, 1]")
            if kind == "days" and value < 0:
                raise ConfigError(f"{key} = {value:g}: must be a number of days >= 0")

    @property
    def first_day(self) -> date:
        """1 January of the first projected year."""
        return date(self.first_year, 1, 1)

    @property
    def years(self) -> tuple[int, ...]:
        """The projected calendar years."""
        return tuple(range(self.first_year, self.last_year + 1))

    def projection_days(self) -> float:
        """Days from 1 January of the first year to the end of the last."""
        return float((date(self.last_year + 1, 1, 1) - self.first_day).days)

    def year_bounds(self, warmup_days: float) -> list[tuple[int, float, float]]:
        """(year, first day, day after the last) of every projected year, as days of a run
        whose warm-up lasts ``warmup_days``."""
        first = self.first_day
        return [(y, warmup_days + (date(y, 1, 1) - first).days, warmup_days + (date(y + 1, 1, 1) - first).days)
                for y in self.years]

    def start_days(self, warmup_days: float) -> dict[str, float]:
        """Each named site's start as a day of the run."""
        return {s: warmup_days + site.day_of(self.first_day, "") for s, site in self.sites.items()}

    def check_fits(self, sites: tuple[str, ...], team_kinds: tuple[str, ...], warmup_years: float,
                   path: str = "rollout") -> None:
        """The plan fits the organisation's sites and teams and the run: raises ConfigError
        naming the key when a site is not one of the organisation's, a start falls before
        the run or after it, a ramp runs past the end, or a team kind is unknown."""
        warmup = warmup_years * DAYS_PER_YEAR
        end = warmup + self.projection_days()
        for name, site in self.sites.items():
            where = f"{path}.sites.{name}"
            if name not in sites:
                raise ConfigError(f"{where}: not a site of the organisation's layout; allowed: "
                                  f"{', '.join(sites)} (choose the layout with layout=<name>)")
            day = warmup + site.day_of(self.first_day, f"{where}.start")
            if day - site.released_days < 0:
                first = self.first_day - timedelta(days=warmup)
                raise ConfigError(f"{where}.start = {site.start}: before the run, whose first day is "
                                  f"{first.isoformat()} ({warmup_years:g} warm-up year(s) before "
                                  f"{self.first_year}-01-01; the staff released before the start included)")
            if day >= end:
                raise ConfigError(f"{where}.start = {site.start}: after the projection's last year "
                                  f"({self.last_year}); leave the site out if it does not start")
            if day + site.longest_days > end:
                raise ConfigError(f"{where}: a ramp (staff, maturity or intake) runs past the end of "
                                  f"{self.last_year}; shorten its months or start earlier")
            for kind in site.fte:
                if kind not in team_kinds:
                    raise ConfigError(f"{where}.fte.{kind}: no team '{kind}' in the organisation; "
                                      f"allowed: {', '.join(team_kinds)}")

