"""Random numbers: one numpy Generator per random activity, never global state.

Every stream is spawned from ``SeedSequence(seed)`` by an explicit spawn key
``(replication, kind, ...)``. Citizens draw from their *own* streams, one per
activity, so a citizen's n-th deterioration, window or length of stay is the
same number under every organisation: common random numbers that stay in step
even when organisations change the order of events (Law, *Simulation Modeling
and Analysis*, ch. 11). Generators are made lazily, on first use.
"""
from __future__ import annotations

import numpy as np

# Stream kinds at replication level.
POPULATION = 0   # arrival times and citizen attributes: independent of organisation
CITIZEN = 1

# activity -> spawn index; indices are fixed so that adding or removing an activity
# never moves another activity's numbers (7 was a coercion stream no decision used)
ACTIVITIES = {
    "exit": 0, "deterioration": 1, "window": 2, "detection": 3, "decision": 4, "avert": 5,
    "crisis": 6, "los": 8, "offer": 9, "handover": 10, "relapse": 11, "dropout": 12,
    "reengagement": 13,
}


def generator(seed: int, *spawn_key: int) -> np.random.Generator:
    """The Generator at ``spawn_key`` below ``SeedSequence(seed)``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=spawn_key)))


def population_stream(seed: int, replication: int) -> np.random.Generator:
    return generator(seed, replication, POPULATION)


class CitizenStreams:
    """One Generator per activity for one citizen, made on first use."""

    __slots__ = ("_seed", "_key", "_gens")

    def __init__(self, seed: int, replication: int, citizen_id: int):
        self._seed = seed
        self._key = (replication, CITIZEN, citizen_id)
        self._gens: dict[str, np.random.Generator] = {}

    def __getitem__(self, activity: str) -> np.random.Generator:
        gen = self._gens.get(activity)
        if gen is None:
            gen = generator(self._seed, *self._key, ACTIVITIES[activity])
            self._gens[activity] = gen
        return gen

    def exponential(self, activity: str, rate: float) -> float:
        """A waiting time at ``rate`` per day; infinite when the rate is zero."""
        if rate <= 0.0:
            self[activity]  # keep the stream's existence independent of the rate
            return float("inf")
        return self[activity].exponential(1.0 / rate)
