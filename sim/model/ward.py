"""The psychiatric ward: a count of beds with a first-come, first-served queue
([model: mechanism 8]).

A crisis that needs a bed when none is free waits (first come, first served) and
the wait is counted. ``beds: null`` means unlimited beds: nobody ever waits. A free
bed is taken at once, with no event in SimPy's queue; only a citizen who must wait
gets an event, which fires when a discharge hands the bed on. This is the semantics
of ``simpy.Resource`` at a lower cost per admission.
"""
from __future__ import annotations

from collections import deque

import simpy


class Ward:
    """The shared psychiatric beds of a catchment."""
    def __init__(self, env: simpy.Environment, beds: int | None):
        self.env = env
        self.beds = beds
        self.free = 0 if beds is None else beds   # unlimited beds never count free ones
        self._queue: deque[simpy.Event] = deque()

    @property
    def queue_length(self) -> int:
        """Citizens waiting for a bed now."""
        return len(self._queue)

    def request(self) -> simpy.Event | None:
        """Take a bed: None if one was free (or beds are unlimited), else an event that
        fires when a bed is handed on to this citizen."""
        if self.beds is None:
            return None
        if self.free > 0:
            self.free -= 1
            return None
        wait = self.env.event()
        self._queue.append(wait)
        return wait

    def release(self) -> None:
        """Give a bed back: to the first citizen waiting, or to the free beds."""
        if self.beds is None:
            return
        if self._queue:
            self._queue.popleft().succeed()
        else:
            self.free += 1

    def drain(self) -> list[simpy.Event]:
        """The end of a run: the events of the citizens still waiting, taken off the queue."""
        waiting = list(self._queue)
        self._queue.clear()
        return waiting
