"""A citizen's illness course: well and unwell phases that come and go.

Severe mental illness runs in episodes: a citizen's risk of deteriorating is not
constant but high for weeks or months and then lower again, whatever the services do
(Burns et al. 2007 and the mirror-image literature explain much of a pre/post fall in
hospital use by this; see [burns2007] in ``docs/evidence.md``). The model represents
it as two phases that alternate independently of the pathway: an unwell phase with
mean length ``unwell_mean_days`` and a well phase with mean ``well_mean_days``, both
exponential. In the unwell phase the hazard of deterioration is
``unwell_hazard_ratio`` times that of the well phase. The multipliers are scaled so
that their long-run mean is 1: ``deterioration_rate_per_year`` keeps its meaning as
the average rate of a citizen of severity 1.

So a minority of citizens are, at any time, in a phase with many deteriorations in
a short time (the heavy users of a year), and a citizen enrolled at a moment of need
is likely to be in an unwell phase that will end on its own (regression to the mean).

The course is exogenous: drawn from the citizen's own ``course`` stream, the same
under every organisation (common random numbers). A time to deterioration is found
by inverting the cumulative hazard across phase changes, so it is exact, not a
re-draw at each change: with a unit exponential ``e`` the event comes when the
integral of the hazard from now reaches ``e``.
"""
from __future__ import annotations

import math
from collections.abc import Callable


class IllnessCourse:
    """The phases of one citizen's illness from their entry on."""

    __slots__ = ("_ends", "_unwell_first", "_draw", "_mean", "_mult", "_phase_mult", "_k")

    def __init__(self, start: float, unwell_hazard_ratio: float, unwell_mean_days: float,
                 well_mean_days: float, uniform: Callable[[], float],
                 exponential: Callable[[], float]):
        """``uniform``/``exponential``: the citizen's course stream (mean-1 exponentials)."""
        p_unwell = unwell_mean_days / (unwell_mean_days + well_mean_days)
        mean_ratio = p_unwell * unwell_hazard_ratio + (1.0 - p_unwell)
        # phase 0 is the phase at entry, drawn from the long-run shares (the course has
        # been running before the citizen entered the catchment)
        self._unwell_first = uniform() < p_unwell
        self._mean = (well_mean_days, unwell_mean_days)
        self._mult = (1.0 / mean_ratio, unwell_hazard_ratio / mean_ratio)
        # the phases alternate: phase k's multiplier is _phase_mult[k % 2]
        self._phase_mult = (self._mult[self._unwell_first], self._mult[not self._unwell_first])
        self._draw = exponential
        self._ends = [start + exponential() * self._mean[self._unwell_first]]
        self._k = 0   # the phase of the last question; time only moves forward

    def _unwell(self, k: int) -> bool:
        return (k % 2 == 0) == self._unwell_first

    def _end(self, k: int) -> float:
        ends = self._ends
        while len(ends) <= k:
            ends.append(ends[-1] + self._draw() * self._mean[self._unwell(len(ends))])
        return ends[k]

    def _phase(self, now: float) -> int:
        """The phase holding ``now`` (found from the last one asked: time only moves forward)."""
        k = self._k
        while self._end(k) <= now:
            k += 1
        self._k = k
        return k

    def unwell(self, now: float) -> bool:
        """Whether the citizen is in an unwell phase at ``now``."""
        return self._unwell(self._phase(now))

    def multiplier(self, now: float) -> float:
        """The hazard multiplier at ``now`` (mean 1 over the long run)."""
        return self._mult[self.unwell(now)]

    def time_to_event(self, now: float, e: float, rate: float) -> float:
        """Days from ``now`` until an event whose hazard is ``rate`` x the phase multiplier,
        for a unit exponential ``e``; infinite when ``rate`` is zero."""
        if rate <= 0.0:
            return math.inf
        k, t = self._phase(now), now
        while True:
            end = self._end(k)
            lam = rate * self._phase_mult[k % 2]
            if e <= lam * (end - t):
                return t + e / lam - now
            e -= lam * (end - t)
            t = end
            k += 1
