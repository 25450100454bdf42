"""SelfScheduled: a process that is its own event in SimPy's queue waits as a SimPy process would."""
from __future__ import annotations

import simpy

from sim.model.process import SelfScheduled, Waits, discard_pending


def ticking(env: simpy.Environment, waits: list[float], seen: list[float]) -> Waits:
    """Waits the days given, noting the time after each wait."""
    for days in waits:
        yield days
        seen.append(env.now)


def simpy_times(waits: list[float]) -> list[float]:
    """The same waits as a SimPy process with timeouts."""
    env, seen = simpy.Environment(), []

    def proc():
        for days in waits:
            yield env.timeout(days)
            seen.append(env.now)
    env.process(proc())
    env.run()
    return seen


def test_a_self_scheduled_process_wakes_when_a_simpy_process_would():
    waits, seen = [1.5, 0.0, 2.25, 10.0], []
    env = simpy.Environment()
    process = SelfScheduled(env)
    process.drive(ticking(env, waits, seen))
    env.run()
    assert seen == simpy_times(waits) == [1.5, 1.5, 3.75, 13.75]
    assert process._process is None and process.callbacks is None   # ended: no reference kept


def test_processes_due_at_the_same_time_wake_in_the_order_they_were_scheduled():
    env, woken = simpy.Environment(), []

    def named(name: str) -> Waits:
        yield 2.0
        woken.append(name)

    for name in "bca":
        SelfScheduled(env).drive(named(name))
    env.run()
    assert woken == ["b", "c", "a"]


def test_a_wait_for_an_event_resumes_when_it_fires():
    env, seen = simpy.Environment(), []
    signal = env.event()
    process = SelfScheduled(env)

    def waits() -> Waits:
        yield 1.0
        seen.append(env.now)
        signal.callbacks.append(process.resume)   # subscribed by the step itself
        yield None
        seen.append(env.now)
        yield 1.0
        seen.append(env.now)

    process.drive(waits())
    env.run(until=5.0)
    assert seen == [1.0]
    signal.succeed()
    env.run(until=10.0)
    assert seen == [1.0, 5.0, 6.0]


def test_stop_and_discard_pending_leave_nothing_in_the_queue_or_linked():
    env = simpy.Environment()
    signal = env.event()
    waiting, sleeping = SelfScheduled(env), SelfScheduled(env)

    def wait_for_signal() -> Waits:
        signal.callbacks.append(waiting.resume)
        yield None

    waiting.drive(wait_for_signal())
    sleeping.drive(ticking(env, [100.0], []))
    assert len(env._queue) == 1 and signal.callbacks == [waiting.resume]
    for process in (waiting, sleeping):
        process.stop()
    discard_pending(env, [signal])
    assert env._queue == [] and signal.callbacks == []
    assert sleeping._process is None and sleeping.callbacks is None
