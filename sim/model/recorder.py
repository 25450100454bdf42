"""Counts and durations over the results period only.

Events are counted when they happen inside ``[start, end)``; durations (bed days,
days disengaged, staff hours) count only their overlap with it. This is the
classic warm-up deletion of steady-state simulation (Law, ch. 9; pydesrap_mms).
"""
from __future__ import annotations

from collections import defaultdict

from sim.config.units import DAYS_PER_YEAR
from sim.model.names import TOTALS


class Recorder:
    """What one replication counts, over the results period only."""
    def __init__(self, start: float, end: float):
        self.start = start
        self.end = end
        self.totals: dict[str, float] = dict.fromkeys(TOTALS, 0.0)   # only known names
        self.people_admitted: set[int] = set()
        self.teams_seen: dict[int, set[str]] = defaultdict(set)
        # (admitted at, bed days, days waiting for a municipal offer) for stays starting in the window
        self.stays: list[tuple[float, float, float]] = []
        # admissions per citizen in each whole year of the window: (citizen, year) -> count
        self.admissions_in_year: dict[tuple[int, int], int] = defaultdict(int)
        self.whole_years = int((end - start) // DAYS_PER_YEAR)

    def in_window(self, t: float) -> bool:
        """Whether ``t`` lies in the results period."""
        return self.start <= t < self.end

    def count(self, key: str, t: float, n: float = 1.0) -> None:
        """Add ``n`` to the total ``key`` if ``t`` lies in the results period (a known name only)."""
        if self.start <= t < self.end:
            self.totals[key] += n

    def overlap(self, t0: float, t1: float) -> float:
        """Days of ``[t0, t1)`` that lie in the results period."""
        a = t0 if t0 > self.start else self.start   # conditionals: cheaper than min() and max()
        b = t1 if t1 < self.end else self.end
        return b - a if b > a else 0.0

    def span(self, key: str, t0: float, t1: float, weight: float = 1.0) -> None:
        """Add the overlap of ``[t0, t1)`` with the results period, times ``weight``, to ``key``."""
        days = self.overlap(t0, t1)
        if days > 0.0:
            self.totals[key] += days * weight

    def admission(self, citizen_id: int, t: float) -> None:
        """An admission, for the distribution of admissions per admitted citizen-year."""
        year = int((t - self.start) // DAYS_PER_YEAR)
        if 0 <= year < self.whole_years:
            self.admissions_in_year[(citizen_id, year)] += 1

    def seen_by(self, citizen_id: int, team: str, t: float) -> None:
        """Note that ``team`` served the citizen (for teams per citizen)."""
        if self.start <= t < self.end:
            self.teams_seen[citizen_id].add(team)

    def release(self) -> None:
        """Drop what was kept per citizen and per stay (a finished run's, once its metrics
        are made); the totals stay."""
        self.people_admitted.clear()
        self.teams_seen.clear()
        self.stays.clear()
        self.admissions_in_year.clear()


def merged(recorders: list[Recorder]) -> Recorder:
    """One recorder holding what several counted (the catchment from its municipalities
    and its teams): totals added in the order given, citizens' sets joined, stays in order."""
    first = recorders[0]
    out = Recorder(first.start, first.end)
    for rec in recorders:
        for key, value in rec.totals.items():
            out.totals[key] += value
        out.people_admitted |= rec.people_admitted
        for cid, teams in rec.teams_seen.items():
            out.teams_seen[cid] |= teams
        out.stays.extend(rec.stays)
        for year_key, n in rec.admissions_in_year.items():
            out.admissions_in_year[year_key] += n
    return out
