"""Drawing a run's plots while its tables are written.

A whole-region run spends seconds on its plots (matplotlib lays out every label) and
seconds on its CSV files (pandas formats every number), one after the other in one
process. When the run may use more than one core, each plot is handed to a worker
process as soon as it is asked for, so the plots are drawn while this process writes
the tables, and matplotlib is never loaded here. The workers are joblib's (loky's)
reusable ones, the same kind the replications ran on; a plot is a function of the
run's tables only, so it draws the same file in a worker as here.
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path

import cloudpickle
from joblib import effective_n_jobs


class PlotDrawer:
    """Draws plots into ``folder/plots``: in up to ``n_jobs`` worker processes (none
    when it is 1), else one after another here; nothing when ``enabled`` is false."""

    def __init__(self, folder: Path, enabled: bool = True, n_jobs: int = 1):
        self.folder = Path(folder)
        self.enabled = enabled
        self.workers = effective_n_jobs(n_jobs)
        self._pending: list[Future] = []
        self._executor: Executor | None = None

    def __call__(self, plot: Callable[[Path], object], name: str) -> list[str]:
        """Draw ``plot(path)`` as ``plots/<name>``; return the file names it will write."""
        if not self.enabled:
            return []
        path = self.folder / "plots" / name
        if self.workers <= 1:
            plot(path)
        else:
            if self._executor is None:
                from joblib.externals.loky import get_reusable_executor
                self._executor = get_reusable_executor(max_workers=self.workers)
            # pickled now: a closure draws the tables it sees at this call, even if the
            # caller rebinds a name it captured before the worker gets the plot
            self._pending.append(self._executor.submit(_draw, cloudpickle.dumps(plot), path))
        return [f"plots/{name}"]

    def wait(self) -> None:
        """Wait for every plot handed to a worker; a plot that failed raises its error here
        (after the others have stopped, so nothing is written once this returns)."""
        pending, self._pending = self._pending, []
        try:
            for future in pending:
                future.result()
        except BaseException:
            self._stop(pending)
            raise

    def abandon(self) -> None:
        """The run failed: plots not started are not drawn, the ones drawing are waited
        for (their errors ignored), so no worker writes into a folder being removed."""
        pending, self._pending = self._pending, []
        self._stop(pending)

    @staticmethod
    def _stop(pending: list[Future]) -> None:
        for future in pending:
            future.cancel()
        for future in pending:
            if not future.cancelled():
                future.exception()   # waits; the error is the failed run's, not this one's


def _draw(plot: bytes, path: Path) -> None:
    """In a worker: the pickled plot, drawn to ``path``."""
    cloudpickle.loads(plot)(path)
