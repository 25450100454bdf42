"""Random numbers: one stream per citizen and random activity, never global state.

Every stream is spawned from ``SeedSequence(seed)`` by an explicit spawn key
``(replication, kind, ...)``. A citizen draws from their *own* streams, one per
activity, so a citizen's n-th deterioration, window or length of stay is the same
number under every organisation: common random numbers that stay in step even when
organisations change the order of events (Law, *Simulation Modeling and Analysis*,
ch. 11).

Speed without losing that promise: a citizen's first ``BLOCK[activity]`` uniforms of
every activity are one row of ``BATCH`` rows drawn one after another from one Generator
(by citizen number, the Generator at ``(replication, CITIZEN_BLOCKS, citizen //
BATCH)``), so making a citizen costs no Generator of its own; only an activity that
needs more numbers gets a Generator, spawned at ``(replication, CITIZEN, citizen,
activity)``, and continues from it, its part of the row filled again with the
Generator's next numbers each time it is used up. Citizens are numbered in order of
arrival, which no organisation changes, so a citizen's row is the same under every
organisation. A number becomes a Python float only when it is drawn (most of a block is
never used, and a float object takes four times the memory of its number in the row).
Either way the n-th number of an activity depends only on (seed, replication, citizen,
activity, n), never on how many numbers other activities used.
Waiting times are exponential by inversion of those uniforms, and a length of stay is a
gamma variate made from them by Marsaglia and Tsang's exact method. Each stream counts
what it has handed out, so tests can check that a decision draws the same count
whatever branch it takes.
"""
from __future__ import annotations

import math
from array import array
from typing import Final

import numpy as np

# Stream kinds at replication level.
POPULATION: Final = 0   # arrival times and citizen attributes: independent of organisation
CITIZEN: Final = 1
FIGURES: Final = 2      # samples a figure draws (which citizens a pathway plot shows); never the model's
CITIZEN_BLOCKS: Final = 3   # the first numbers of every activity, for BATCH citizens at a time

# activity -> spawn index; indices are fixed so that adding or removing an activity
# never moves another activity's numbers (7 was a coercion stream no decision used)
ACTIVITIES: Final = {
    "exit": 0, "deterioration": 1, "window": 2, "detection": 3, "decision": 4, "avert": 5,
    "crisis": 6, "los": 8, "offer": 9, "handover": 10, "relapse": 11, "dropout": 12,
    "reengagement": 13, "course": 14,
}
# how many uniforms of each activity a citizen's first block holds: about what a
# citizen uses in ten years, so most never need a Generator of their own. An
# implementation constant: changing it changes which numbers a seed gives, not their
# distribution.
BLOCK: Final = {"exit": 1, "deterioration": 32, "window": 24, "detection": 96, "decision": 96,
                "avert": 24, "crisis": 64, "los": 48, "offer": 48, "handover": 64, "relapse": 24,
                "dropout": 32, "reengagement": 16, "course": 24}
ROWS: Final = max(ACTIVITIES.values()) + 1
_SIZE: Final = [0] * ROWS
for _name, _i in ACTIVITIES.items():
    _SIZE[_i] = BLOCK[_name]
_START: Final = [sum(_SIZE[:i]) for i in range(ROWS)]   # where each activity's part of a row begins
_TOTAL: Final = sum(_SIZE)
# per activity, looked up once per draw: (its index, where its part of a row begins, its size)
_PART: Final = {name: (i, _START[i], _SIZE[i]) for name, i in ACTIVITIES.items()}
_ZEROS: Final = array("d", bytes(8 * _TOTAL))   # a row of zeros: a new row is a copy, then drawn into
BATCH: Final = 64    # citizens whose first blocks are drawn at once (an implementation constant, as BLOCK)
_log1p: Final = math.log1p


def unit_exponential(u: float) -> float:
    """A waiting time with mean 1 from a uniform ``u`` on [0, 1), by inversion: -log(1 - u)."""
    return -_log1p(-u)


def _bits(seed: int, *spawn_key: int) -> np.random.PCG64:
    """The bit generator at ``spawn_key`` below ``SeedSequence(seed)``."""
    return np.random.PCG64(np.random.SeedSequence(seed, spawn_key=spawn_key))


def generator(seed: int, *spawn_key: int) -> np.random.Generator:
    """The Generator at ``spawn_key`` below ``SeedSequence(seed)``."""
    return np.random.Generator(_bits(seed, *spawn_key))


def population_stream(seed: int, replication: int) -> np.random.Generator:
    """The stream of arrivals and citizens' attributes: no organisation touches it."""
    return generator(seed, replication, POPULATION)


class CitizenBlocks:
    """The first block of every citizen of a replication: ``BATCH`` citizens' rows, one
    after another, from one Generator.

    Citizens are made in order of their numbers, so the batch's Generator draws each
    their row in turn, straight into an array of the citizen's own: no table of the whole
    batch is made and copied. A row asked for out of turn (a test, a citizen made alone) is
    found by advancing a new Generator of the batch past the rows before it (PCG64 draws
    one 64-bit number per uniform, and can jump ahead by any count of them)."""

    __slots__ = ("seed", "replication", "_batch", "_next", "_gen")

    def __init__(self, seed: int, replication: int):
        self.seed, self.replication = seed, replication
        self._batch = -1
        self._next = 0   # the row the batch's Generator draws next
        self._gen: np.random.Generator | None = None

    def row(self, citizen_id: int) -> array[float]:
        """The citizen's first block: every activity's first numbers, in activity order (a
        new array of the citizen's own)."""
        batch, i = divmod(citizen_id, BATCH)
        gen = self._gen
        if gen is None or batch != self._batch or i != self._next:   # out of turn
            bits = _bits(self.seed, self.replication, CITIZEN_BLOCKS, batch).advance(i * _TOTAL)
            gen = self._gen = np.random.Generator(bits)
            self._batch = batch
        self._next = i + 1
        numbers = array("d", _ZEROS)
        gen.random(out=np.frombuffer(numbers))
        return numbers

    def streams(self, citizen_id: int) -> CitizenStreams:
        """The citizen's streams."""
        return CitizenStreams(self.seed, self.replication, citizen_id, self.row(citizen_id))


class CitizenStreams:
    """One stream of numbers per activity for one citizen.

    The citizen keeps their row and, per activity, how many numbers of its part are used.
    When an activity has used its part of the row, the part is filled again, in place,
    with the next numbers of the activity's own Generator (as many as the part holds: a
    Generator gives the same sequence in any sizes of draws). A citizen's numbers are so
    one array and one list of counts: few objects to visit per draw, which matters once a
    catchment's citizens no longer fit in the processor's cache."""

    __slots__ = ("_seed", "_key", "_numbers", "_used", "_gens")

    def __init__(self, seed: int, replication: int, citizen_id: int, block: array[float] | None = None):
        """``block``: the citizen's row of :class:`CitizenBlocks` (drawn here if not given);
        the streams own it from then on (a part used up is filled again in place)."""
        self._seed = seed
        self._key = (replication, CITIZEN, citizen_id)
        self._numbers = CitizenBlocks(seed, replication).row(citizen_id) if block is None else block
        # how many numbers of each activity's part have been used (small numbers, which
        # Python keeps once for all, so reading one visits no object of the citizen's)
        self._used = [0] * ROWS
        # an activity that has used its part of the row: its Generator and how often the
        # part was filled from it
        self._gens: dict[int, tuple[np.random.Generator, int]] | None = None

    def _refill(self, i: int) -> None:
        """Fill the activity's part of the row with its own Generator's next numbers (the
        Generator spawned at the citizen's key plus the activity's index)."""
        if self._gens is None:
            self._gens = {}
        gen, fills = self._gens.get(i) or (generator(self._seed, *self._key, i), 0)
        self._gens[i] = (gen, fills + 1)
        start, size = _START[i], _SIZE[i]
        gen.random(out=np.frombuffer(self._numbers)[start:start + size])
        self._used[i] = 0

    def uniform(self, activity: str) -> float:
        """The activity's next number, uniform on [0, 1)."""
        i, start, size = _PART[activity]
        k = self._used[i]
        if k == size:
            self._refill(i)
            k = 0
        self._used[i] = k + 1
        return self._numbers[start + k]

    def standard_exponential(self, activity: str) -> float:
        """An exponential waiting time with mean 1 (:func:`unit_exponential`)."""
        return -_log1p(-self.uniform(activity))

    def uniforms(self, activity: str, n: int) -> list[float]:
        """The activity's next ``n`` numbers: the same numbers as ``n`` calls of :meth:`uniform`."""
        i, start, size = _PART[activity]
        k = self._used[i]
        if k + n <= size:   # the usual case: all in the part still unused
            self._used[i] = k + n
            return self._numbers[start + k:start + k + n].tolist()
        us = self._numbers[start + k:start + size].tolist()
        while len(us) < n:   # the rest from the activity's next numbers
            self._refill(i)
            k = min(n - len(us), size)
            us.extend(self._numbers[start:start + k].tolist())
            self._used[i] = k
        return us

    def standard_exponentials(self, activity: str, n: int) -> list[float]:
        """``n`` exponential waiting times with mean 1: the same numbers as ``n`` calls of
        :meth:`standard_exponential`."""
        return [-_log1p(-u) for u in self.uniforms(activity, n)]

    def exponential(self, activity: str, rate: float) -> float:
        """A waiting time at ``rate`` per day; infinite when the rate is zero.

        The number is drawn whatever the rate, so the stream stays in step."""
        e = -_log1p(-self.uniform(activity))   # a standard exponential, one call fewer
        return e / rate if rate > 0.0 else math.inf

    def standard_normal(self, activity: str) -> float:
        """A standard normal variate by Box-Muller from two uniforms."""
        u1, u2 = self.uniforms(activity, 2)
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
        fills = self._gens[i][1] if self._gens is not None and i in self._gens else 0
        return fills * _SIZE[i] + self._used[i]
