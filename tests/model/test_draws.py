"""Draws: each of a citizen's random draws comes from its own activity's stream, in a
fixed count, and is the stream's number put to its use (checked against a twin stream)."""
from __future__ import annotations

import math

import pytest

from sim.model.draws import Draws
from sim.model.streams import ACTIVITIES, CitizenStreams


def pair() -> tuple[Draws, CitizenStreams]:
    """A citizen's draws and a twin of their streams (the same seed, replication, citizen)."""
    return Draws(CitizenStreams(11, 2, 5)), CitizenStreams(11, 2, 5)


def drawn(draws: Draws) -> dict[str, int]:
    return {a: n for a in ACTIVITIES if (n := draws.streams.drawn(a))}


@pytest.mark.parametrize("call, used", [
    (lambda d: d.exit_days(0.01), {"exit": 1}),
    (lambda d: d.course_uniform(), {"course": 1}),
    (lambda d: d.course_phase(), {"course": 1}),
    (lambda d: d.deterioration(), {"deterioration": 1}),
    (lambda d: d.relapse(), {"relapse": 1}),
    (lambda d: d.dropout_days(0.0), {"dropout": 1}),
    (lambda d: d.reengagement_days(0.1), {"reengagement": 1}),
    (lambda d: d.handover(), {"handover": 2}),
    (lambda d: d.warning_window(10.0), {"window": 1}),
    (lambda d: d.crisis_averted(0.0), {"avert": 1}),
    (lambda d: d.crisis_averted(1.0), {"avert": 1}),
    (lambda d: d.detection(), {"detection": 4, "decision": 4}),
    (lambda d: d.crisis(5.0), {"crisis": 3}),
    (lambda d: d.offer(20.0), {"offer": 3}),
    (lambda d: d.discharge_handovers(), {"handover": 4}),
])
def test_each_draw_uses_its_own_activitys_stream_and_a_fixed_count(call, used):
    draws, _ = pair()
    call(draws)
    assert drawn(draws) == used


def test_a_draw_is_its_streams_number_put_to_use():
    draws, twin = pair()
    assert draws.exit_days(0.02) == twin.standard_exponential("exit") / 0.02
    assert draws.warning_window(14.0) == twin.standard_exponential("window") * 14.0
    home, offer = draws.crisis(6.0), draws.offer(30.0)
    assert home == (twin.uniform("crisis"), twin.uniform("crisis"), twin.standard_exponential("crisis") * 6.0)
    assert offer == (twin.uniform("offer"), twin.uniform("offer"), twin.standard_exponential("offer") * 30.0)
    assert draws.handover() == (twin.standard_exponential("handover"), twin.uniform("handover"))
    assert draws.detection() == (twin.uniforms("detection", 4), twin.uniforms("decision", 4))


def test_a_zero_rate_never_comes_and_a_probability_decides_at_its_ends():
    draws, _ = pair()
    assert draws.dropout_days(0.0) == math.inf and draws.reengagement_days(0.0) == math.inf
    assert not any(draws.crisis_averted(0.0) for _ in range(50))
    assert all(draws.crisis_averted(1.0) for _ in range(50))


def test_a_length_of_stay_has_the_mean_it_is_given():
    """Gamma with shape 2 and mean 15 days: the mean of 20,000 stays within 1 % (its
    standard error is 15 / sqrt(2 x 20,000) = 0.075 days, 0.5 %)."""
    draws = Draws(CitizenStreams(3, 0, 1))
    stays = [draws.los(2.0, 15.0) for _ in range(20_000)]
    assert sum(stays) / len(stays) == pytest.approx(15.0, rel=0.01)
    assert min(stays) > 0.0
    assert set(drawn(draws)) == {"los"}
