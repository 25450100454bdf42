"""Who is where, counted as citizens move, and sampled at noon each day.

The census keeps the count of citizens in each state, on intensive care and alive, and
the daily time series: the counts at noon of every day (an independent look at
occupancy, from the counts rather than the recorder's spans). Every change of a count
goes through the census (:meth:`Census.move`, :meth:`Census.intensive`,
:meth:`Census.arrive`, :meth:`Census.leave`), which first takes the samples due, so a
new state cannot forget them.

The samples are those a process waking at noon each day would record, without an event
in SimPy's queue every day: the counts do not change between changes, so the samples
due are taken just before the next change (a noon exactly at a change's time is
sampled before the change, as such a process, scheduled first, would).
"""
from __future__ import annotations

from operator import itemgetter
from typing import Final, Generic, TypeVar

from sim.model.names import IN_BED, STATES

_COUNTS, _BEDS = itemgetter(*STATES), itemgetter(*IN_BED)   # a day's counts, read at once
FIRST_SAMPLE: Final = 0.5   # the first day's noon

C = TypeVar("C")   # the citizens counted (the model's are sim.model.citizen.Citizen)


class Census(Generic[C]):
    """The counts of one replication's citizens, and their daily samples up to ``end``."""

    def __init__(self, end: float):
        self.end = end
        self.counts: dict[str, int] = dict.fromkeys(STATES, 0)
        self.on_intensive = 0
        self.citizens: dict[int, C] = {}   # the living, in order of arrival: same sums in every run
        self.rows: list[tuple] = []   # (day, count in each state, beds occupied, on intensive care, citizens)
        self.next_sample = FIRST_SAMPLE

    def sample(self, now: float) -> None:
        """Take the daily samples due by ``now`` (before any count changes at ``now``)."""
        t, end = self.next_sample, self.end
        if t > now or t >= end:
            return
        c = self.counts
        row = (*_COUNTS(c), sum(_BEDS(c)), self.on_intensive, len(self.citizens))
        rows = self.rows
        while t <= now and t < end:
            rows.append((len(rows), *row))
            t += 1.0
        self.next_sample = t

    def move(self, now: float, left: str | None, entered: str | None) -> None:
        """A citizen leaves the state ``left`` for ``entered`` (None: none, on entry or exit)."""
        if now >= self.next_sample:
            self.sample(now)
        counts = self.counts
        if left is not None:
            counts[left] -= 1
        if entered is not None:
            counts[entered] += 1

    def intensive(self, now: float, starts: bool) -> None:
        """A citizen starts (or ends) intensive care."""
        if now >= self.next_sample:
            self.sample(now)
        self.on_intensive += 1 if starts else -1

    def arrive(self, now: float, cid: int, citizen: C) -> None:
        """A citizen enters the catchment."""
        if now >= self.next_sample:
            self.sample(now)
        self.citizens[cid] = citizen

    def leave(self, now: float, cid: int) -> None:
        """A citizen exits the catchment."""
        if now >= self.next_sample:
            self.sample(now)
        self.citizens.pop(cid, None)
