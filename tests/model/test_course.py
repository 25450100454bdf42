"""The illness course: phases with the shares and mean rate known in closed form, and
an exact inversion of the cumulative hazard."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from sim.model.course import IllnessCourse
from sim.model.streams import CitizenStreams

U, V, R = 100.0, 400.0, 10.0    # unwell mean days, well mean days, hazard ratio


def course(i: int, start: float = 0.0, ratio: float = R) -> IllnessCourse:
    s = CitizenStreams(3, 0, i)
    return IllnessCourse(start, ratio, U, V, lambda: s.uniform("course"),
                         lambda: s.standard_exponential("course"))


def test_the_share_of_time_unwell_is_the_ratio_of_the_mean_phase_lengths():
    """An alternating renewal process spends U / (U + V) of its time in the unwell phase."""
    horizon, step = 20_000.0, 5.0
    shares = [np.mean([c.unwell(t) for t in np.arange(0.0, horizon, step)])
              for c in (course(i) for i in range(40))]
    mean, se = np.mean(shares), np.std(shares, ddof=1) / np.sqrt(len(shares))
    assert abs(mean - U / (U + V)) < stats.norm.ppf(0.9995) * se + 0.005


def test_the_long_run_rate_of_events_is_the_average_rate():
    """Multipliers are scaled to mean 1, so a citizen's events come at ``rate`` per day
    on average over the course whatever the hazard ratio."""
    rate, horizon = 1.0 / 50.0, 20_000.0
    counts = []
    for i in range(60):
        c, s, t, n = course(i), CitizenStreams(4, 0, i), 0.0, 0
        while True:
            t += c.time_to_event(t, s.standard_exponential("deterioration"), rate)
            if t >= horizon:
                break
            n += 1
        counts.append(n / horizon)
    mean, se = np.mean(counts), np.std(counts, ddof=1) / np.sqrt(len(counts))
    assert abs(mean - rate) < stats.norm.ppf(0.9995) * se
    assert np.var(counts) > 0


def test_the_time_to_an_event_inverts_the_cumulative_hazard_exactly():
    c, rate = course(7), 0.01
    mult = lambda t: c.multiplier(t)  # noqa: E731
    for e in (0.05, 0.5, 2.0, 6.0):
        t = c.time_to_event(0.0, e, rate)
        # integrate the hazard phase by phase up to t: it must equal e
        edges = [0.0] + [x for x in c._ends if x < t] + [t]
        area = sum(integrate.quad(lambda u: rate * mult(u), a, b)[0] for a, b in zip(edges, edges[1:]))
        assert area == pytest.approx(e, rel=1e-6)


def test_a_ratio_of_one_is_a_constant_hazard_and_a_zero_rate_never_comes():
    c = course(2, ratio=1.0)
    assert c.time_to_event(10.0, 1.5, 0.1) == pytest.approx(15.0)
    assert c.time_to_event(10.0, 1.5, 0.0) == float("inf")


def test_the_course_is_the_same_whatever_is_asked_of_it():
    """Common random numbers: the phases do not depend on when or how often they are read."""
    a, b = course(5), course(5)
    a.unwell(9000.0)                    # a reads far ahead at once
    for t in np.arange(0, 9000, 50.0):
        b.unwell(t)
    assert a._ends[:10] == b._ends[:10]
