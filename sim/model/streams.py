"""Random numbers: one stream per citizen and random activity, never global state.

Every stream is spawned from ``SeedSequence(seed)`` by an explicit spawn key
``(replication, kind, ...)``. A citizen draws from their *own* streams, one per
activity, so a citizen's n-th deterioration, window or length of stay is the same
number under every organisation: common random numbers that stay in step even when
organisations change the order of events (Law, *Simulation Modeling and Analysis*,
ch. 11).

Speed without losing that promise: a citizen's first ``BLOCK[activity]`` uniforms of
every activity are one row of a table drawn for ``BATCH`` citizens at a time (by
citizen number, from the Generator at ``(replication, CITIZEN_BLOCKS, citizen //
BATCH)``), so making a citizen costs no Generator of its own; only an activity that
needs more numbers gets a Generator, spawned at ``(replication, CITIZEN, citizen,
activity)``, and continues from it. Citizens are numbered in order of arrival, which
no organisation changes, so a citizen's row is the same under every organisation. An
activity reads its part of the row through a memoryview, so a number becomes a Python
float only when it is drawn (most of a block is never used, and a float object takes
four times the memory of its number in the table). Either way the n-th number of an
activity depends only on (seed, replication, citizen, activity, n), never on how many
numbers other activities used.
Waiting times are exponential by inversion of those uniforms, and a length of stay is a
gamma variate made from them by Marsaglia and Tsang's exact method. Each stream counts
what it has handed out, so tests can check that a decision draws the same count
whatever branch it takes.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from itertools import islice

import numpy as np

# Stream kinds at replication level.
POPULATION = 0   # arrival times and citizen attributes: independent of organisation
CITIZEN = 1
FIGURES = 2      # samples a figure draws (which citizens a pathway plot shows); never the model's
CITIZEN_BLOCKS = 3   # the first numbers of every activity, for BATCH citizens at a time

# activity -> spawn index; indices are fixed so that adding or removing an activity
# never moves another activity's numbers (7 was a coercion stream no decision used)
ACTIVITIES = {
    "exit": 0, "deterioration": 1, "window": 2, "detection": 3, "decision": 4, "avert": 5,
    "crisis": 6, "los": 8, "offer": 9, "handover": 10, "relapse": 11, "dropout": 12,
    "reengagement": 13, "course": 14,
}
# how many uniforms of each activity a citizen's first block holds: about what a
# citizen uses in ten years, so most never need a Generator of their own. An
# implementation constant: changing it changes which numbers a seed gives, not their
# distribution.
BLOCK = {"exit": 1, "deterioration": 32, "window": 24, "detection": 96, "decision": 96,
         "avert": 24, "crisis": 64, "los": 48, "offer": 48, "handover": 64, "relapse": 24,
         "dropout": 32, "reengagement": 16, "course": 24}
ROWS = max(ACTIVITIES.values()) + 1
_SIZE = [0] * ROWS
for _name, _i in ACTIVITIES.items():
    _SIZE[_i] = BLOCK[_name]
_START = [sum(_SIZE[:i]) for i in range(ROWS)]
_TOTAL = sum(_SIZE)
REFILL = 64   # uniforms drawn at a time from an activity's own Generator
BATCH = 64    # citizens whose first blocks are drawn at once (an implementation constant, as BLOCK)
_USED: Iterator[float] = iter(())   # an iterator with nothing left: the activity's next numbers are fetched
_log1p = math.log1p


def generator(seed: int, *spawn_key: int) -> np.random.Generator:
    """The Generator at ``spawn_key`` below ``SeedSequence(seed)``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=spawn_key)))


def population_stream(seed: int, replication: int) -> np.random.Generator:
    """The stream of arrivals and citizens' attributes: no organisation touches it."""
    return generator(seed, replication, POPULATION)


class CitizenBlocks:
    """The first block of every citizen of a replication, ``BATCH`` citizens at a time."""

    __slots__ = ("seed", "replication", "_batch", "_table")

    def __init__(self, seed: int, replication: int):
        self.seed, self.replication = seed, replication
        self._batch = -1
        self._table = np.empty(0).data

    def row(self, citizen_id: int) -> memoryview:
        """The citizen's first block: every activity's first numbers, in activity order (a
        view of the batch's table, which lives as long as one of its citizens uses it)."""
        batch, i = divmod(citizen_id, BATCH)
        if batch != self._batch:   # citizens are made in order: one table at a time suffices
            # the rows one after another, seen as a memoryview
            self._table = generator(self.seed, self.replication, CITIZEN_BLOCKS, batch).random(BATCH * _TOTAL).data
            self._batch = batch
        return self._table[i * _TOTAL:(i + 1) * _TOTAL]

    def streams(self, citizen_id: int) -> CitizenStreams:
        """The citizen's streams."""
        return CitizenStreams(self.seed, self.replication, citizen_id, self.row(citizen_id))


class CitizenStreams:
    """One stream of numbers per activity for one citizen."""

    __slots__ = ("_seed", "_key", "_block", "_its", "_given", "_gens")

    def __init__(self, seed: int, replication: int, citizen_id: int, block: memoryview | None = None):
        """``block``: the citizen's row of :class:`CitizenBlocks` (drawn here if not given)."""
        self._seed = seed
        self._key = (replication, CITIZEN, citizen_id)
        self._block = CitizenBlocks(seed, replication).row(citizen_id) if block is None else block
        # each activity hands out its numbers from an iterator: over its part of the block,
        # then over its own Generator's numbers, REFILL at a time; ``_given`` counts the
        # numbers put into its iterators so far
        self._its: list[Iterator[float]] = [_USED] * ROWS
        self._given = [0] * ROWS
        self._gens: dict[int, np.random.Generator] = {}

    def _refill(self, i: int) -> float:
        """The first of the activity's next numbers: its part of the block the first time,
        then its own Generator's (spawned at the citizen's key plus the activity's index)."""
        given = self._given[i]
        numbers: Iterable[float]
        if given == 0 and _SIZE[i]:
            given, numbers = _SIZE[i], self._block[_START[i]:_START[i] + _SIZE[i]]
        else:
            gen = self._gens.get(i)
            if gen is None:
                gen = self._gens[i] = generator(self._seed, *self._key, i)
            given, numbers = given + REFILL, gen.random(REFILL).tolist()
        self._given[i] = given
        it = self._its[i] = iter(numbers)
        return next(it)

    def uniform(self, activity: str) -> float:
        """The activity's next number, uniform on [0, 1)."""
        i = ACTIVITIES[activity]
        try:
            return next(self._its[i])
        except StopIteration:
            return self._refill(i)

    def standard_exponential(self, activity: str) -> float:
        """An exponential waiting time with mean 1 (inversion: -log(1 - u))."""
        i = ACTIVITIES[activity]
        try:
            u = next(self._its[i])
        except StopIteration:
            u = self._refill(i)
        return -_log1p(-u)

    def uniforms(self, activity: str, n: int) -> list[float]:
        """The activity's next ``n`` numbers: the same numbers as ``n`` calls of :meth:`uniform`."""
        i = ACTIVITIES[activity]
        us = list(islice(self._its[i], n))
        while len(us) < n:   # the rest from the activity's next numbers
            us.append(self._refill(i))
            us.extend(islice(self._its[i], n - len(us)))
        return us

    def standard_exponentials(self, activity: str, n: int) -> list[float]:
        """``n`` exponential waiting times with mean 1: the same numbers as ``n`` calls of
        :meth:`standard_exponential`."""
        return [-_log1p(-u) for u in self.uniforms(activity, n)]

    def exponential(self, activity: str, rate: float) -> float:
        """A waiting time at ``rate`` per day; infinite when the rate is zero.

        The number is drawn whatever the rate, so the stream stays in step."""
        e = self.standard_exponential(activity)
        return e / rate if rate > 0.0 else math.inf

    def standard_normal(self, activity: str) -> float:
        """A standard normal variate by Box-Muller from two uniforms."""
        u1, u2 = self.uniform(activity), self.uniform(activity)
        return math.sqrt(-2.0 * math.log1p(-u1)) * math.cos(2.0 * math.pi * u2)

    def standard_gamma(self, activity: str, shape: float) -> float:
        """A gamma variate with mean ``shape`` (Marsaglia and Tsang 2000, exact; for a
        shape below 1 the boost gamma(shape + 1) x u^(1/shape)). It uses a varying count
        of the activity's numbers, so an activity that draws gammas draws nothing else."""
        if shape <= 0.0:
            raise ValueError("gamma shape must be > 0")
        boost = 1.0
        if shape < 1.0:
            boost = (1.0 - self.uniform(activity)) ** (1.0 / shape)
            shape += 1.0
        d = shape - 1.0 / 3.0
        c = 1.0 / math.sqrt(9.0 * d)
        while True:
            x = self.standard_normal(activity)
            v = 1.0 + c * x
            if v <= 0.0:
                continue
            v = v * v * v
            u = 1.0 - self.uniform(activity)
            if math.log(u) < 0.5 * x * x + d - d * v + d * math.log(v):
                return d * v * boost

    def drawn(self, activity: str) -> int:
        """How many numbers the activity has handed out (for tests of stream discipline)."""
        i = ACTIVITIES[activity]
        rest = list(self._its[i])   # what is left, handed out again in the same order
        self._its[i] = iter(rest)
        return self._given[i] - len(rest)
