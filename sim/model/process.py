"""A process that schedules itself in SimPy's queue: the citizen's way of waiting.

A :class:`simpy.Process` is general: it makes a :class:`~simpy.events.Timeout` for every
wait, can be interrupted, can wait for a failed event, and can be waited for. A citizen
needs none of that, and a catchment has hundreds of thousands of waits. So a
:class:`SelfScheduled` process drives its own generator: a step yields a number of days
and the process puts *itself* in SimPy's queue as the event for that time (the time and
order a ``Timeout`` would get, so the run is the same as with SimPy's processes); a step
that yields ``None`` has subscribed :meth:`SelfScheduled.resume` to an event of its own
(a bed handed on), and goes on when that event fires.

The steps never see any of this: they ``yield`` days, as a SimPy process yields
``env.timeout(days)``, and read the time from :attr:`SelfScheduled.now`, set each time
the process goes on (a plain attribute: SimPy's ``env.now`` is a property, a function
call on every read, and a step reads the time many times). This module is the one
place that knows how SimPy's queue holds its events (:func:`discard_pending`).
"""
from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy
from simpy.events import NORMAL

# a process: a generator of the days it waits (None: it waits for an event it has
# subscribed to itself)
Waits = Generator[float | None, None, None]


class SelfScheduled:
    """A process that is its own event in SimPy's queue (see the module docstring).

    :meth:`drive` starts the generator of its waits (a subclass's pathway) and runs it
    to its first wait; :meth:`stop` drops the generator when the run ends with the
    process still waiting. SimPy reads ``callbacks`` and ``_ok`` of the event it steps,
    so the process carries both.

    ``now`` is the time of the step running: set by :meth:`resume` before the process
    goes on, it is SimPy's ``env.now`` for as long as the step runs (a step runs at one
    time, from one wait to the next). A method called from outside the process (by
    another process) reads ``env.now`` instead, or sets ``now`` first."""

    __slots__ = ("env", "now", "callbacks", "_wake", "_process")

    # what SimPy's step reads of an event it has processed: a wake-up never fails
    _ok = True

    def __init__(self, env: simpy.Environment):
        self.env = env
        self.now = env.now
        self.callbacks: list[Callable[[Any], None]] | None = None   # while in SimPy's queue
        self._wake: list[Callable[[Any], None]] | None = None
        self._process: Waits | None = None

    def drive(self, process: Waits) -> None:
        """Start driving ``process`` (once): run it until its first wait."""
        self._wake = [self.resume]
        self._process = process
        self.resume(None)

    def resume(self, _event: Any) -> None:
        """Send the process on to its next wait (SimPy calls this when the wait ends)."""
        process = self._process
        if process is None:
            return
        self.now = self.env.now
        try:
            days = process.send(None)
        except StopIteration:   # the process has ended: nothing refers back to it any more
            self._process = self._wake = None
            return
        if days is not None:
            self.callbacks = self._wake
            self.env.schedule(self, NORMAL, days)  # type: ignore[arg-type]

    def stop(self) -> None:
        """Drop the process (its generator refers to this object, so keeping it would
        leave a cycle for Python's cycle collector)."""
        self._process = self._wake = self.callbacks = None


def discard_pending(env: simpy.Environment, others: list[simpy.Event]) -> None:
    """The end of a run: drop every event still in SimPy's queue, and ``others`` (events
    waited for outside the queue), cutting each from the callbacks that would resume a
    process (they refer to each other, which would leave cycles for the collector)."""
    queue = env._queue   # SimPy's event queue: (time, priority, id, event)
    pending: list[Any] = [event for *_, event in queue]   # a SelfScheduled is not a simpy.Event
    for event in pending + others:
        if event.callbacks:
            event.callbacks.clear()
    queue.clear()
