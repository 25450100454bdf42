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

ACTIVITIES = (
    "exit", "deterioration", "window", "detection", "decision", "avert", "crisis",
    "coercion", "los", "offer", "handover", "relapse", "dropout", "reengagement",
)
_INDEX = {name: i for i, name in enumerate(ACTIVITIES)}


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
            gen = generator(self._seed, *self._key, _INDEX[activity])
            self._gens[activity] = gen
        return gen

    def exponential(self, activity: str, rate: float) -> float:
        """A waiting time at ``rate`` per day; infinite when the rate is zero."""
        if rate <= 0.0:
            self[activity]  # keep the stream's existence independent of the rate
            return float("inf")
        return self[activity].exponential(1.0 / rate)

    def chance(self, activity: str, p: float) -> bool:
        return self[activity].random() < p
