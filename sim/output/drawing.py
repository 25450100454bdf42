"""Drawing a run's plots while its tables are written.

A whole-region run spends seconds on its plots (matplotlib lays out every label) and
seconds on its CSV files (pandas formats every number), one after the other in one
process. When the run may use more than one core, each plot is handed to a worker
process as soon as it is asked for, so the plots are drawn while this process writes
the tables, and matplotlib is never loaded here; the CSV files of the two largest
tables are written by the workers too, while this process writes the rest. The
workers are a loky pool of the run's own (loky is what joblib runs the replications
on), shut down when the run's files are written; a plot is a function of the run's
tables only, so it draws the same file in a worker as here.
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
        return self.write(plot, f"plots/{name}")

    def write(self, make: Callable[[Path], object], name: str) -> list[str]:
        """Write any file of the run, ``make(path)`` as ``<folder>/<name>``, in a worker
        when there are workers (whether plots are drawn or not: a large table's CSV);
        return the file names it will write."""
        path = self.folder / name
        if self.workers <= 1:
            make(path)
        else:
            if self._executor is None:
                # a pool of the run's own, not loky's shared reusable one: asking for that
                # with other settings than joblib's would replace the replications' workers
                # under joblib, and the process's next run would fail
                from joblib.externals.loky import ProcessPoolExecutor
                self._executor = ProcessPoolExecutor(max_workers=self.workers)
            # pickled now: a closure draws the tables it sees at this call, even if the
            # caller rebinds a name it captured before the worker gets the plot
            self._pending.append(self._executor.submit(_draw, cloudpickle.dumps(make), path))
        return [name]

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
        finally:
            self._close()

    def abandon(self) -> None:
        """The run failed: plots not started are not drawn, the ones drawing are waited
        for (their errors ignored), so no worker writes into a folder being removed."""
        pending, self._pending = self._pending, []
        try:
            self._stop(pending)
        finally:
            self._close()

    def _close(self) -> None:
        """Shut the workers down (a drawer serves one run; the next makes its own)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)

    @staticmethod
    def _stop(pending: list[Future]) -> None:
        for future in pending:
            future.cancel()
        for future in pending:
            if not future.cancelled():
                future.exception()   # waits; the error is the failed run's, not this one's


def _draw(plot: bytes, path: Path) -> None:
    """In a worker: the pickled plot (or file), drawn to ``path``."""
    cloudpickle.loads(plot)(path)
