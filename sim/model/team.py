"""Teams: staff as real capacity ([model: mechanism 7]).

A team's weekly capacity in hours is the sum over its staff of
``FTE x hours per week x (1 - share pulled back to the parent organisation)``
times the share of time for direct care (contacts and driving). Citizens put a
load on the team (contacts, hours and driving hours per week) of each kind of work
(``WORK``: routine contacts, in-reach, discharge planning, outreach, intensive care)
that depends on their care level. Intensive (board) care is served first; the other
kinds share what is left, each getting the same share of what it asks, and the rest is
lost and counted per kind. A scale-up is accepted only if the intensive load stays
within ``max_intensive_share`` of capacity. Every benefit in the citizen's pathway acts
in proportion to the share of its kind of work the team delivers.
Load is piecewise constant, so hours are integrated exactly between changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sim.config.params import SECTORS, TeamSpec
from sim.config.units import DAYS_PER_WEEK
from sim.model.names import TEAM_TOTALS, WORK
from sim.model.recorder import Recorder

SNAP: Final = 1e-9   # a load within this of zero is zero (float drift; an implementation constant)
INTENSIVE_WORK: Final = WORK.index("intensive")
KINDS: Final = len(WORK)
assert INTENSIVE_WORK == KINDS - 1 == 4   # the other kinds are WORK[:INTENSIVE_WORK]
ROUTINE_KINDS: Final = tuple(range(INTENSIVE_WORK))   # every kind of work but intensive care


def _snap(v: float) -> float:
    """A load that returns to within SNAP of zero is zero, so float drift cannot leave a
    load behind when the last citizen leaves."""
    return v if (v >= SNAP or v <= -SNAP) else 0.0


# Load, LoadChange and Moves are frozen dataclasses in slots: their fields are read on every
# change of a citizen's care level, and a slot is read faster than a named tuple's field
@dataclass(frozen=True, slots=True)
class Load:
    """A load on a team per week: of one citizen on one kind of work, or a change in it."""
    contacts: float
    hours: float   # including driving
    drive: float   # driving hours


ZERO_LOAD: Final = Load(0.0, 0.0, 0.0)


class Team:
    """A team's staff as capacity in hours per week, and the load its citizens put on it."""
    def __init__(self, name: str, spec: TeamSpec, citizens_covered: float,
                 travel_minutes: dict[str, float], contact_minutes: float, recorder: Recorder,
                 fte: float | None = None, site: str = "", base: str | None = None):
        """``fte``: the team's whole staff fixed at this many FTE (a layout's site), its
        disciplines in the proportions of the spec; None: the spec's FTE per 100 citizens
        covered. ``site`` and ``base``: where it works, for the team's own results."""
        self.name = name
        self.contact_base_hours = contact_minutes / 60.0
        self.spec = spec
        self.travel_minutes = travel_minutes  # by municipality, round trip from this team's base
        self.rec = recorder
        self.citizens_covered = citizens_covered
        self.site, self.base = site, base
        # the team's whole staff, in units of the spec's FTE per 100 citizens
        self.full_scale = citizens_covered / 100.0 if fte is None else fte / spec.fte_per_100_total
        self.fte_by_sector: dict[str, float] = {}
        self.case_manager_fte = 0.0
        self.capacity = 0.0
        self.sector_share: dict[str, float] = {}
        self.intensive_cap = 0.0
        self._set_staff(self.full_scale, True)
        # FTE paid over the results period, counted once the staff change (a roll-out)
        self.restaffed = False
        self._fte_days = dict.fromkeys(SECTORS, 0.0)
        self._fte_since = 0.0
        # current load per week, per kind of work (WORK); routine_hours: every kind but intensive
        self.contacts = [0.0] * KINDS
        self.hours = [0.0] * KINDS
        self.drive = [0.0] * KINDS
        self.routine_hours = 0.0
        self.intensive_hours = 0.0
        self.base_name = name.split(":")[0]   # the team's name without its municipality
        self.sector_label = "+".join(sorted(spec.sectors))   # e.g. "municipal+regional"
        self._last = 0.0
        # integrals over the results period, in hours or contacts; added to the
        # recorder's totals when the team closes (staff hours split by sector there)
        self._used = self._drive = self._available = 0.0
        self._asked = [0.0] * KINDS
        self._given = [0.0] * KINDS
        # the team's own totals over the results period (kept after it closes)
        self.totals = dict.fromkeys(TEAM_TOTALS + ("scaleups", "scaleups_refused"), 0.0)

    def _set_staff(self, scale: float, caring: bool) -> None:
        """Staff the team at ``scale`` units of its spec's FTE per 100 citizens; capacity
        for care only if ``caring`` (staff released to prepare a start give none)."""
        spec = self.spec
        by_sector = dict.fromkeys(SECTORS, 0.0)
        self.fte_by_sector = dict.fromkeys(SECTORS, 0.0)
        self.case_manager_fte = 0.0
        for member in spec.staffing.values():
            fte = member.fte_per_100 * scale
            pulled = spec.pulled_back_share.get(member.sector, 0.0)
            by_sector[member.sector] += fte * member.hours_per_week * (1.0 - pulled)
            self.fte_by_sector[member.sector] += fte
            if member.case_manager:
                self.case_manager_fte += fte
        total = sum(by_sector.values())
        self.capacity = total * spec.direct_care_share if caring else 0.0   # hours per week
        if total > 0 or not self.sector_share:
            self.sector_share = {s: (h / total if total > 0 else 0.0) for s, h in by_sector.items()}
        self.intensive_cap = self.capacity * spec.max_intensive_share

    def restaff(self, now: float, share: float, caring: bool = True) -> None:
        """From ``now`` the team has ``share`` of its whole staff, giving care if ``caring``
        (a roll-out's build-up, or staff lent away); the load so far is integrated first."""
        self._integrate(now)
        self._count_fte(now)
        self.restaffed = True
        self._set_staff(self.full_scale * share, caring)

    def _count_fte(self, now: float) -> None:
        """Add the FTE paid since the last staff change, over the results period."""
        days = self.rec.overlap(self._fte_since, now)
        self._fte_since = now
        if days > 0.0:
            for sector, fte in self.fte_by_sector.items():
                self._fte_days[sector] += fte * days

    def paid_fte(self) -> dict[str, float]:
        """FTE paid by sector: the staff as set, or their mean over the results period if
        they changed (call after :meth:`close`)."""
        if not self.restaffed:
            return self.fte_by_sector
        days = self.rec.end - self.rec.start
        return {s: (d / days if days > 0 else 0.0) for s, d in self._fte_days.items()}

    # -- capacity --------------------------------------------------------------
    def routine_fulfilment(self) -> float:
        """Share of the work other than intensive care (routine contacts, in-reach,
        planning, outreach) asked of the team that it can deliver now: what intensive care
        leaves of its capacity over what that work asks, at most 1 (0 with no staff)."""
        rh = self.routine_hours
        if rh <= 0.0:
            return 1.0 if self.capacity > 0 else 0.0
        free = self.capacity - self.intensive_hours
        if free > 0.0:
            share = free / rh
            return share if share < 1.0 else 1.0   # a conditional: cheaper than min()
        return 0.0

    def can_take_intensive(self, hours: float) -> bool:
        """Whether the board may scale up one more citizen needing ``hours`` a week (mechanism 2)."""
        return self.intensive_hours + hours <= self.intensive_cap + 1e-9 and self.capacity > 0

    def contact_hours(self, municipality: str, home: bool) -> tuple[float, float]:
        """(hours incl. driving, driving hours) for one contact with a citizen."""
        drive = self.travel_minutes[municipality] / 60.0 if home else 0.0
        return self.contact_base_hours + drive, drive

    # -- load ------------------------------------------------------------------
    def change(self, now: float, kind: int, delta: Load) -> None:
        """Change the load per week of one kind of work (an index into ``WORK``) by ``delta``."""
        if now != self._last:   # a change at the time of the last one has nothing to integrate
            self._integrate(now)
        self.contacts[kind] = _snap(self.contacts[kind] + delta.contacts)
        self.hours[kind] = _snap(self.hours[kind] + delta.hours)
        self.drive[kind] = _snap(self.drive[kind] + delta.drive)
        if kind == INTENSIVE_WORK:
            self.intensive_hours = self.hours[kind]
        else:
            self.routine_hours = _snap(self.routine_hours + delta.hours)

    def _integrate(self, now: float) -> None:
        """Add the load since the last change, over its overlap with the results period."""
        days = self.rec.overlap(self._last, now)
        self._last = now
        if days <= 0.0:
            return
        weeks = days / DAYS_PER_WEEK
        f = self.routine_fulfilment()
        # intensive load never exceeds capacity (scale-ups are checked), the rest gets what is left
        ih = self.intensive_hours
        int_share = (self.capacity / ih if ih > self.capacity else 1.0) if ih > 0 else 1.0
        self._used += (ih * int_share + self.routine_hours * f) * weeks
        contacts, asked, given = self.contacts, self._asked, self._given
        for k in ROUTINE_KINDS:   # what intensive care leaves, each kind the same share of it
            c = contacts[k]
            if c:
                asked[k] += c * weeks
                given[k] += c * f * weeks
        c = contacts[INTENSIVE_WORK]
        if c:
            asked[INTENSIVE_WORK] += c * weeks
            given[INTENSIVE_WORK] += c * int_share * weeks
        drive = self.drive
        routine_drive = drive[0] + drive[1] + drive[2] + drive[3]   # the kinds before intensive care
        self._drive += (drive[INTENSIVE_WORK] * int_share + routine_drive * f) * weeks
        self._available += self.capacity * weeks

    def scale_up(self, now: float, accepted: bool) -> None:
        """Count a scale-up the team took or refused, in the results period (its own totals)."""
        if self.rec.start <= now < self.rec.end:
            self.totals["scaleups" if accepted else "scaleups_refused"] += 1.0

    def close(self, now: float) -> None:
        """Integrate to ``now`` and add the team's totals to the recorder and its own."""
        self._integrate(now)
        self._count_fte(now)
        for t in (self.rec.totals, self.totals):
            for sector, share in self.sector_share.items():
                if share > 0:
                    t[f"staff_hours_{sector}"] += self._used * share
            t["driving_hours"] += self._drive
            t["staff_hours_available"] += self._available
            for kind, asked, given in zip(WORK, self._asked, self._given):
                t[f"asked_{kind}"] += asked
                t[f"delivered_{kind}"] += given
                t["contacts_delivered"] += given
                t["contacts_lost"] += asked - given
        self._used = self._drive = self._available = 0.0
        self._asked = [0.0] * KINDS
        self._given = [0.0] * KINDS


@dataclass(frozen=True, slots=True)
class LoadChange:
    """A change in one kind of work (an index into ``WORK``) of one team."""
    team: Team
    kind: int
    delta: Load


@dataclass(frozen=True, slots=True)
class Moves:
    """What a change of a citizen's care level does to the teams: the changes in a fixed
    order, the citizen's load after it per (team, kind of work), and the names of the
    teams that serve the citizen at the new level."""
    changes: tuple[LoadChange, ...]
    loads: dict[tuple[Team, int], Load]
    teams: tuple[str, ...]
