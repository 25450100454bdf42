"""The run's event log, kept as columns while the model runs.

Every entry is (citizen, time, event, state, sector, team). The model adds one for each
change of a citizen's state and each hand-over, scale-up or scale-down: at 10,000
citizens over five years about 600,000 of them. Kept as a Python tuple each, an entry
took about 110 bytes of memory that the run then had to free again; here an entry is
20 bytes in three typed arrays: the citizen's number, the time, and the number of its
*kind*, the four words (event, state, sector, team), of which a run has only a few
hundred different ones. The words become columns of the frame only at the end,
decoded by Arrow from the kinds' numbers, so the frame is the same, value for value and
type for type, as one built from tuples (tested in ``tests/model/test_event_log.py``).
The entries are added to three lists, which take an entry much faster than a typed
array does, and the lists become typed arrays in one step for every ``CHUNK`` entries
(and when the log is read).

An implementation choice, not a model assumption: it changes what a run costs, not a
single number it gives.
"""
from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterator
from typing import Final

import numpy as np
import pandas as pd
import pyarrow as pa

COLUMNS: Final = ["citizen", "time", "event", "state", "sector", "team"]
STRING: Final = pd.Series(["a"]).dtype   # the type pandas gives a column of text (str from pandas 3)
# whether pandas keeps that text in Arrow (pandas 3 with pyarrow): then a column is decoded by Arrow
ARROW_TEXT = isinstance(STRING, pd.StringDtype) and STRING.storage == "pyarrow"

Kind = tuple[str, str, str, str]   # event, state, sector, team
CHUNK: Final = 1 << 16   # entries per chunk (an implementation constant, see EventLog)


class EventLog:
    """The entries of one run, in the order they happened.

    The entries are kept in chunks of at most ``CHUNK``: the one being filled in three
    lists, the others in three typed arrays each (a typed array growing one entry at a
    time would be copied to a larger place now and then, and a chunk, half a megabyte of
    times, is copied within the processor's cache, where one array of the whole log
    would be copied again and again through memory)."""

    __slots__ = ("_citizen", "_time", "_kind", "_full", "_codes", "_kinds", "codes_by_key")

    def __init__(self) -> None:
        # the chunk being filled: the citizen's number, the time (days since the start of
        # the run) and an index into _kinds
        self._citizen: list[int] = []
        self._time: list[float] = []
        self._kind: list[int] = []
        self._full: list[tuple[array, array, array]] = []   # the chunks filled so far, as typed arrays
        self._codes: dict[Kind, int] = {}
        self._kinds: list[Kind] = []
        self.codes_by_key: dict[Hashable, int] = {}   # a caller's own keys of kinds (see kind_code)

    def add(self, citizen: int, time: float, event: str, state: str, sector: str, team: str) -> None:
        """Log one entry."""
        self.add_kind(citizen, time, self.kind_code((event, state, sector, team)))

    def kind_code(self, kind: Kind) -> int:
        """The number of a kind of entry (event, state, sector, team), numbered as they come.
        A caller that logs the same kinds again and again may keep the numbers in
        :attr:`codes_by_key` under a key of its own, cheaper to make than the kind."""
        code = self._codes.get(kind)
        if code is None:
            code = self._codes[kind] = len(self._kinds)
            self._kinds.append(kind)
        return code

    def add_kind(self, citizen: int, time: float, code: int) -> None:
        """Log one entry of a kind already numbered by :meth:`kind_code`."""
        self._citizen.append(citizen)
        self._time.append(time)
        self._kind.append(code)
        if len(self._kind) == CHUNK:
            self._seal()

    def _seal(self) -> None:
        """Turn the chunk being filled into typed arrays, and start a new one."""
        if self._kind:
            self._full.append((array("q", self._citizen), array("d", self._time), array("i", self._kind)))
            self._citizen, self._time, self._kind = [], [], []

    def _chunks(self) -> list[tuple[array, array, array]]:
        """Every entry, in chunks of typed arrays."""
        self._seal()
        return self._full

    def __len__(self) -> int:
        return sum(len(codes) for _, _, codes in self._full) + len(self._kind)

    def __iter__(self) -> Iterator[tuple[int, float, str, str, str, str]]:
        """The entries as tuples (citizen, time, event, state, sector, team)."""
        kinds = self._kinds
        for citizens, times, codes in self._chunks():
            for citizen, time, code in zip(citizens, times, codes):
                yield (citizen, time, *kinds[code])

    def _column(self, j: int, dtype: type) -> np.ndarray:
        """Column ``j`` of the chunks (0 citizen, 1 time, 2 kind) as one new array."""
        parts: list[np.ndarray] = [np.frombuffer(chunk[j], dtype=dtype) for chunk in self._chunks() if len(chunk[j])]
        return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)

    def citizens(self) -> np.ndarray:
        """Each entry's citizen."""
        return self._column(0, np.int64)

    def times(self) -> np.ndarray:
        """Each entry's time."""
        return self._column(1, np.float64)

    def _text(self, column: str) -> pa.Array:
        """Each entry's ``column`` (event, state, sector or team) as Arrow text: a
        dictionary array (the kinds' words, indexed by each entry's kind) decoded by Arrow,
        without a Python object per entry."""
        j = COLUMNS.index(column) - 2
        words = pa.array([kind[j] for kind in self._kinds], pa.string())
        return pa.DictionaryArray.from_arrays(pa.array(self._column(2, np.intc)), words).dictionary_decode()

    def words(self, column: str) -> np.ndarray:
        """Each entry's ``column`` (event, state, sector or team), as an array of str objects."""
        return self._text(column).to_numpy(zero_copy_only=False)

    def frame(self) -> pd.DataFrame:
        """The log as a tidy frame: citizen (int64), time (float64) and the four words as
        text, in the order the entries happened."""
        frame: dict[str, object] = {"citizen": self.citizens(), "time": self.times()}
        for name in COLUMNS[2:]:
            frame[name] = pd.array(self._text(name) if ARROW_TEXT else self.words(name), dtype=STRING)
        return pd.DataFrame(frame)
