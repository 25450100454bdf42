"""Census: the counts of who is where, and the daily samples every change of a count takes first."""
from __future__ import annotations

from sim.model.census import FIRST_SAMPLE, Census
from sim.model.names import ADMITTED, DISCHARGE_READY, STABLE, STATES


def census_of(end: float = 7.3) -> Census[str]:
    """Eight citizens at time 0: five stable, two admitted, one ready for discharge, one
    of them on intensive care."""
    census: Census[str] = Census(end)
    for cid, state in enumerate([STABLE] * 5 + [ADMITTED] * 2 + [DISCHARGE_READY]):
        census.arrive(0.0, cid, f"citizen {cid}")
        census.move(0.0, None, state)
    census.intensive(0.0, True)
    return census


def counts(**n: int) -> tuple[int, ...]:
    """The counts in ``STATES`` order: ``n`` citizens in the states named, none elsewhere."""
    return tuple(n.get(s, 0) for s in STATES)


def test_the_daily_sample_records_the_counts_at_each_noon_up_to_now():
    census = census_of()
    census.sample(0.4)                  # before the first noon: nothing
    assert census.rows == [] and census.next_sample == FIRST_SAMPLE
    census.sample(2.7)                  # the noons of days 0, 1 and 2
    day = (*counts(stable=5, admitted=2, discharge_ready=1), 3, 1, 8)   # beds: admitted + ready
    assert census.rows == [(0, *day), (1, *day), (2, *day)]
    assert census.next_sample == 3.5
    census.sample(1000.0)               # never past the end of the run (7.3 days)
    assert len(census.rows) == 7 and census.next_sample == 7.5


def test_every_change_takes_the_samples_due_before_it_changes_a_count():
    census = census_of()
    census.move(0.5, STABLE, ADMITTED)   # a noon exactly at a change is sampled before it
    assert census.rows == [(0, *counts(stable=5, admitted=2, discharge_ready=1), 3, 1, 8)]
    census.intensive(1.5, False)
    assert census.rows[1] == (1, *counts(stable=4, admitted=3, discharge_ready=1), 4, 1, 8)
    census.leave(2.5, 0)
    assert census.rows[2][-2:] == (0, 8) and 0 not in census.citizens
    census.arrive(3.5, 99, "new")
    assert census.rows[3][-1] == 7 and census.citizens[99] == "new"
    assert [r[0] for r in census.rows] == [0, 1, 2, 3]


def test_entry_and_exit_count_in_no_state():
    census: Census[str] = Census(10.0)
    census.move(0.0, None, STABLE)
    census.move(1.0, STABLE, None)
    assert all(n == 0 for n in census.counts.values())
    assert census.rows == [(0, *counts(stable=1), 0, 0, 0)]
