"""A workshop run in a process of its own: queued, on a budget of cores, stopped when
it takes too long or when the leader who asked for it goes.

The server runs at most ``server.slots()`` runs at once (``limits.yaml``: the cores divided
by ``cores_per_run``, at least two, so one long run never keeps every other session
waiting); the others wait in a first-come queue of at most ``max_waiting``. Each run is a
fresh process (``spawn``: nothing of the page's threads or locks is copied into it) in a
process group of its own, whose replications use ``cores_per_run`` worker processes.
The page's thread waits for it, passing its progress on; when the run is past its time
limit, or the page stops waiting (the leader pressed Stop, or left), the whole group is
killed and the half-written folder removed. The memory a run used goes back to the
operating system with its process.
"""
from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.apps.workshop.limits import Refusal, Server


@dataclass
class Job:
    """What the run process needs: the validated scenario and what its folder records."""
    folder: Path
    scenario: Any
    config: dict
    provenance: list[dict]
    overrides: list[str]
    cores: int


class Queue:
    """At most ``slots`` runs at once; the rest wait in the order they came."""

    def __init__(self, slots: int, max_waiting: int):
        self.slots, self.max_waiting = slots, max_waiting
        self._cond = threading.Condition()
        self._running = 0
        self._waiting: list[object] = []

    def ahead(self, ticket: object) -> int:
        """How many runs are before ``ticket`` (running ones not counted)."""
        with self._cond:
            return self._waiting.index(ticket) if ticket in self._waiting else 0

    def enter(self, on_wait: Callable[[int], None] | None = None) -> object:
        """Wait for a slot (calling ``on_wait(ahead)`` now and then; it may raise to leave
        the queue); raise :class:`Refusal` when the queue is full."""
        ticket = object()
        with self._cond:
            if len(self._waiting) >= self.max_waiting and self._running >= self.slots:
                raise Refusal("busy")
            self._waiting.append(ticket)
        try:
            while True:
                with self._cond:
                    if self._running < self.slots and self._waiting[0] is ticket:
                        self._waiting.pop(0)
                        self._running += 1
                        self._cond.notify_all()
                        return ticket
                    ahead = self._waiting.index(ticket) + max(0, self._running - self.slots + 1)
                    self._cond.wait(0.5)
                if on_wait is not None:
                    on_wait(ahead)
        except BaseException:
            with self._cond:
                if ticket in self._waiting:
                    self._waiting.remove(ticket)
                self._cond.notify_all()
            raise

    def leave(self) -> None:
        """A run has ended: its slot goes to the next in line."""
        with self._cond:
            self._running -= 1
            self._cond.notify_all()


_QUEUE: Queue | None = None
_QUEUE_LOCK = threading.Lock()


def shared_queue(server: Server) -> Queue:
    """The process's one queue of runs (every session of the page shares it)."""
    global _QUEUE
    with _QUEUE_LOCK:
        if _QUEUE is None:
            _QUEUE = Queue(server.slots(), server.max_waiting)
        return _QUEUE


class TimedOut(Exception):
    """The run was past its time limit and was stopped."""


class Failed(Exception):
    """The run's process ended without a finished folder (its message is for the log)."""


def run(job: Job, seconds: float, on_progress: Callable[[int, int], None] | None = None) -> None:
    """Run ``job`` in a process of its own and wait for it; kill it (and its replications'
    workers) after ``seconds`` (:class:`TimedOut`) or when this thread stops waiting
    (any exception from ``on_progress``, such as Streamlit's stop)."""
    ctx = multiprocessing.get_context("spawn")
    messages = ctx.Queue()
    # not a daemon: a daemon may not start the replications' worker processes (joblib would
    # fall back to one core); the finally below ends it instead
    proc = ctx.Process(target=_child, args=(job, messages), name="factsim-workshop-run")
    proc.start()
    deadline = time.monotonic() + seconds
    error, done = None, False
    try:
        while True:
            try:
                kind, value = messages.get(timeout=0.25)
            except queue.Empty:
                if not proc.is_alive():
                    break
                if time.monotonic() > deadline:
                    raise TimedOut(seconds) from None
                if on_progress is not None:
                    on_progress(-1, -1)   # a heartbeat: the page may stop waiting here
                continue
            if kind == "progress" and on_progress is not None:
                on_progress(*value)
            elif kind == "error":
                error = value
            elif kind == "done":
                done = True
                break
            if time.monotonic() > deadline:
                raise TimedOut(seconds)
    finally:
        # the folder is whole once "done" is sent; the replications' idle workers are not waited for
        _end(proc, 1.0 if done or error is not None else 0.0)
        messages.close()
    if not done:
        raise Failed(error or f"the run's process ended with status {proc.exitcode}")


def _end(proc, grace: float) -> None:
    """Give the run ``grace`` seconds to exit, then kill what is left of its process group
    (the run, if it still runs, and its replications' workers, which would otherwise idle
    for minutes)."""
    proc.join(timeout=grace)
    if proc.pid is not None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)   # the group the run made its own at start
        except (ProcessLookupError, PermissionError):   # nothing left of it
            pass
    if proc.is_alive():   # killed before it made its group
        proc.kill()
    proc.join(timeout=10)


def _child(job: Job, messages) -> None:
    """The run process: a group of its own, every replication, then the run's folder."""
    os.setpgid(0, 0)   # its replications' workers join this group, so one kill ends them all
    import yaml

    from sim.experiments.runner import run_study
    from sim.output.files import write_text
    from sim.output.run_folder import discard_incomplete, write_run

    started = time.time()
    try:
        study = run_study(job.scenario, progress=False, n_jobs=job.cores,
                          on_progress=lambda done, total: messages.put(("progress", (done, total))))
        write_run(job.folder, job.scenario, job.config, job.provenance, study, started, job.overrides,
                  n_jobs=1)
        # what it was asked, where Hydra keeps it for a sweep's job: factsim-merge outputs/workshop
        # gathers every scenario of a workshop into one table, the differing levers as columns
        write_text(job.folder / ".hydra" / "overrides.yaml", yaml.safe_dump(job.overrides, allow_unicode=True))
        messages.put(("done", None))
    except BaseException as err:   # reported to the page's log, never shown to a leader
        discard_incomplete(job.folder)
        messages.put(("error", f"{type(err).__name__}: {err}"))
    finally:
        messages.close()
        messages.join_thread()
