"""The psychiatric ward: beds as a SimPy resource ([model: mechanism 8]).

A crisis that needs a bed when none is free waits (first come, first served) and
the wait is counted. ``beds: null`` means unlimited beds: nobody ever waits.
"""
from __future__ import annotations

import simpy


class Ward:
    """The shared psychiatric beds of a catchment."""
    def __init__(self, env: simpy.Environment, beds: int | None):
        self.env = env
        self.unlimited = beds is None
        self.beds = None if beds is None else simpy.Resource(env, capacity=beds)

    def request(self):
        """An event that fires when a bed is free (at once if beds are unlimited)."""
        if self.unlimited:
            return None
        return self.beds.request()

    def release(self, req) -> None:
        """Give back the bed held by ``req`` (nothing for unlimited beds)."""
        if req is not None:
            self.beds.release(req)
