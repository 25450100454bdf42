"""The event log kept as columns gives the frame a log of tuples would, entry for entry."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from sim.model.event_log import COLUMNS, STRING, EventLog

WORDS = st.sampled_from(["", "crisis", "admission", "stable", "regional", "municipal", "FACT Nord", "æøå"])
ENTRY = st.tuples(st.integers(0, 2**40), st.floats(0.0, 1e5, allow_nan=False), WORDS, WORDS, WORDS, WORDS)


def _from_tuples(rows: list[tuple]) -> pd.DataFrame:
    """What a log of tuples gives: the columns one by one, the words as text."""
    frame = pd.DataFrame.from_records(rows, columns=COLUMNS)
    return frame.astype({"citizen": np.int64, "time": np.float64, "event": STRING, "state": STRING,
                         "sector": STRING, "team": STRING})


@settings(max_examples=60, deadline=None)
@given(st.lists(ENTRY, max_size=200))
def test_the_frame_is_the_tuples_frame_and_iteration_gives_the_entries(rows):
    log = EventLog()
    for row in rows:
        log.add(*row)
    assert len(log) == len(rows)
    assert list(log) == rows
    assert_frame_equal(log.frame(), _from_tuples(rows), check_exact=True)


@given(st.lists(ENTRY, min_size=1, max_size=50))
@settings(max_examples=20, deadline=None)
def test_text_not_kept_in_arrow_gives_the_same_frame(rows):
    """Where pandas does not keep text in Arrow (pandas 2), the words are decoded to
    objects first; the frame is the same."""
    import sim.model.event_log as event_log

    log = EventLog()
    for row in rows:
        log.add(*row)
    arrow = log.frame()
    event_log.ARROW_TEXT = not event_log.ARROW_TEXT
    try:
        other = log.frame()
    finally:
        event_log.ARROW_TEXT = not event_log.ARROW_TEXT
    assert_frame_equal(other, arrow, check_exact=True)


def test_an_empty_log_has_typed_columns_and_no_rows():
    frame = EventLog().frame()
    assert list(frame.columns) == COLUMNS and len(frame) == 0
    assert frame.citizen.dtype == np.int64 and frame.time.dtype == np.float64
    assert all(frame[c].dtype == STRING for c in COLUMNS[2:])


def test_repeated_words_are_kept_once_and_columns_are_read_back():
    log = EventLog()
    for k in range(1000):
        log.add(k, k / 10, "crisis" if k % 2 else "admission", "crisis", "regional", f"team {k % 3}")
    assert len(log._kinds) == 6   # two events x three teams
    assert log.citizens().tolist() == list(range(1000))
    assert log.times()[10] == 1.0
    assert log.words("team")[:4].tolist() == ["team 0", "team 1", "team 2", "team 0"]
    assert set(log.words("event")) == {"crisis", "admission"}


def test_the_frame_owns_its_numbers():
    """The frame's columns are copies: adding to the log afterwards changes nothing in it."""
    log = EventLog()
    log.add(1, 2.0, "crisis", "crisis", "regional", "ward")
    frame = log.frame()
    for k in range(100):
        log.add(k, float(k), "exit", "exit", "", "")
    assert frame.citizen.tolist() == [1] and frame.time.tolist() == [2.0]


def test_a_log_longer_than_a_chunk_keeps_every_entry_in_order():
    from sim.model.event_log import CHUNK

    n = 2 * CHUNK + 5
    log = EventLog()
    for k in range(n):
        log.add(k, k * 0.5, "crisis" if k % 3 else "stable", "crisis", "regional", f"team {k % 2}")
    assert len(log) == n and len(log._full) == 2
    frame = log.frame()
    assert frame.citizen.tolist() == list(range(n))
    assert np.array_equal(frame.time.to_numpy(), np.arange(n) * 0.5)
    assert frame.team.iloc[CHUNK - 1:CHUNK + 2].tolist() == ["team 1", "team 0", "team 1"]
    assert (frame.event == "stable").sum() == len(range(0, n, 3))
    entries = list(log)
    assert entries[CHUNK] == (CHUNK, CHUNK * 0.5, "crisis" if CHUNK % 3 else "stable", "crisis", "regional",
                              f"team {CHUNK % 2}")
    assert [e[0] for e in entries] == list(range(n))
