"""Ward: finite beds, first come first served ([model: mechanism 8])."""
from __future__ import annotations

import numpy as np
import simpy

from sim.experiments.simulate import simulate
from sim.model.ward import Ward

from ..conftest import scenario


def test_a_ward_makes_the_second_citizen_wait_for_the_only_bed():
    env = simpy.Environment()
    ward = Ward(env, 1)
    log = []

    def patient(name, arrive, stay):
        yield env.timeout(arrive)
        wait = ward.request()
        if wait is not None:
            yield wait
        log.append((name, env.now))
        yield env.timeout(stay)
        ward.release()

    env.process(patient("a", 0.0, 5.0))
    env.process(patient("b", 1.0, 5.0))
    env.process(patient("c", 2.0, 1.0))
    env.run()
    assert log == [("a", 0.0), ("b", 5.0), ("c", 10.0)]   # first come, first served
    assert ward.free == 1 and ward.queue_length == 0


def test_a_ward_hands_a_bed_to_the_queue_before_freeing_it():
    ward = Ward(simpy.Environment(), 2)
    assert ward.request() is None and ward.request() is None and ward.free == 0
    waiting = ward.request()
    assert waiting is not None and not waiting.triggered and ward.queue_length == 1
    ward.release()
    assert waiting.triggered and ward.free == 0 and ward.queue_length == 0
    ward.release()
    ward.release()
    assert ward.free == 2


def test_unlimited_beds_never_make_anyone_wait():
    ward = Ward(simpy.Environment(), None)
    assert all(ward.request() is None for _ in range(1000))
    ward.release()
    assert ward.queue_length == 0


def test_the_end_of_a_run_takes_the_waiting_off_the_queue_in_their_order():
    ward = Ward(simpy.Environment(), 1)
    ward.request()
    first, second = ward.request(), ward.request()
    assert ward.drain() == [first, second]
    assert ward.queue_length == 0 and ward.drain() == []


def test_in_a_model_no_more_beds_are_occupied_than_the_ward_has():
    """Two beds for Silkeborg's 200 citizens: citizens wait, and the daily count of
    occupied beds never exceeds two."""
    sc = scenario("population.beds=2", "replications=1")
    res = simulate(sc, sc.baseline, 0)
    assert res.metrics["admissions_waited"] > 0 and res.metrics["bed_wait_days"] > 0
    occupied = res.timeseries["beds_occupied"].to_numpy()
    assert occupied.max() == 2 and np.all(occupied >= 0)
