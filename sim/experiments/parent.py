"""Worker processes end with the process that started them.

A sweep's jobs and a study's replications run in worker processes (joblib's loky,
pyabc's multiprocessing). If the parent is killed (``kill -9``, a closed terminal,
a cluster's scheduler) those workers would otherwise run on for minutes and write
results nobody asked for. :func:`end_with_parent` starts, once per process, a
daemon thread that ends the process as soon as its parent has gone (on POSIX the
process is then re-parented, so its parent id changes).
"""
from __future__ import annotations

import multiprocessing
import os
import threading
import time

POLL_SECONDS = 1.0   # how soon an orphaned worker notices; a thread waking once a second costs nothing

_started_in: int | None = None


def end_with_parent(poll_seconds: float = POLL_SECONDS) -> None:
    """Start the watch in this worker process (once; later calls return at once). The
    main process is never watched: a run detached with nohup must outlive its shell."""
    global _started_in
    if _started_in == os.getpid():   # checked in this process already (the usual case)
        return
    _started_in = os.getpid()
    if os.name != "posix" or multiprocessing.parent_process() is None:
        return
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(poll_seconds)
            if os.getppid() != parent:
                os._exit(143)   # as if terminated: the parent is gone, nothing is written after it

    threading.Thread(target=watch, name="end-with-parent", daemon=True).start()
