"""A workshop run: the page's choices as the command line's arguments, checked by the
command line's own validation and run by the command line's own steps into an ordinary
run folder.

Each configuration has its folder, ``outputs/workshop/<digest of the resolved
configuration>``: a configuration already finished there is served from it, and two
sessions asking for the same configuration at once run it once (a lock per folder).
Hydra's composition is one global state per process, so it is used under a lock that a
session waits for at most ``server.lock_seconds`` (``limits.yaml``); an upload is read
and checked before, outside it (:mod:`sim.apps.workshop.uploads`). Every run meets the
server's limits (:mod:`sim.apps.workshop.limits`) before it starts, then waits its turn
and runs in a process of its own on a budget of cores, with a time limit
(:mod:`sim.apps.workshop.worker`).
"""
from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sim.apps.workshop import limits, worker
from sim.apps.workshop.limits import Refusal
from sim.config import paths, preflight
from sim.config.errors import ConfigError, bad_input_types, one_line
from sim.config.load import load, to_container
from sim.config.params import Scenario
from sim.output.run_folder import discard_incomplete, finished_manifest, holds_config

LOG = logging.getLogger("factsim.workshop")

# Hydra's composition (one global state per process) and pyplot are not for two threads at once
COMPOSING = threading.Lock()
DRAWING = threading.Lock()
OUTPUTS = Path("outputs") / "workshop"


@dataclass
class Request:
    """What the page asks for: config-group choices, run settings and the levers' overrides."""
    population: str = "silkeborg"
    baseline: str = "fragmented"
    organisation: str = "fact_crosssector"
    layout: str | None = None
    layout_baseline: str | None = None
    replications: int | None = None
    seed: int | None = None
    uncertainty: str | None = None                      # uncertainty/*.yaml (None: the configuration's)
    overrides: list[str] = field(default_factory=list)   # the levers' and the catchment editor's
    config_dir: Path | None = None                       # an uploaded catchment's folder

    def argv(self) -> list[str]:
        """The command-line arguments of this request (what ``factsim`` is given)."""
        args = [] if self.config_dir is None else ["--config-dir", str(self.config_dir)]
        args += [f"population={self.population}", f"organisation@baseline={self.baseline}",
                 f"organisation={self.organisation}"]
        if self.layout:
            args.append(f"layout={self.layout}")
        if self.layout_baseline:
            args.append(f"layout@baseline={self.layout_baseline}")
        if self.replications is not None:
            args.append(f"replications={self.replications}")
        if self.seed is not None:
            args.append(f"seed={self.seed}")
        if self.uncertainty is not None:
            args.append(f"uncertainty={self.uncertainty}")
        return args + list(self.overrides)


@dataclass
class Checked:
    """A request the command line's validation accepted: its scenario, configuration,
    provenance, the overrides as the command line records them, and its run folder."""
    request: Request
    scenario: Scenario
    config: dict
    provenance: list[dict]
    overrides: list[str]
    folder: Path


def check(request: Request, outputs: Path = OUTPUTS) -> Checked:
    """Validate the request as ``factsim`` would (one line naming the key, ConfigError) and
    against the server's limits (:class:`Refusal`); return its scenario, resolved
    configuration and run folder."""
    argv = request.argv()
    try:
        with _composing():
            preflight.check(argv, paths.SCENARIOS)
            cmd = preflight.Command(argv, paths.SCENARIOS)
            from hydra import compose, initialize_config_dir
            with initialize_config_dir(config_dir=str(cmd.primary), version_base="1.3"):
                cfg = compose(cmd.name, overrides=cmd.overrides + cmd.searchpath())
        config = to_container(cfg)
        scenario, provenance = load(cfg, cmd.overrides)
    except bad_input_types() as err:   # what the command line refuses in one line, refused here too
        raise ConfigError(one_line(err)) from None
    except (RecursionError, ValueError, OverflowError) as err:   # a value no check foresaw: refused, logged
        LOG.warning("workshop: configuration refused: %s", err)
        raise ConfigError("a value cannot be read") from None
    limits.check_run(scenario, config)   # before anything runs: the same limits for every way in
    digest = hashlib.sha256(yaml.safe_dump(config, sort_keys=True, allow_unicode=True).encode()).hexdigest()
    return Checked(request, scenario, config, provenance, list(cmd.overrides), Path(outputs) / digest[:16])


@contextmanager
def _composing():
    """Hydra's global state for one session at a time; a session that would wait longer
    than ``server.lock_seconds`` is refused (:class:`Refusal`) instead of hanging."""
    if not COMPOSING.acquire(timeout=limits.limits().server.lock_seconds):
        raise Refusal("busy_lock")
    try:
        yield
    finally:
        COMPOSING.release()


def finished(checked: Checked) -> bool:
    """Whether the folder holds a finished run of exactly this configuration."""
    return finished_manifest(checked.folder) is not None and holds_config(checked.folder, checked.config)


@contextmanager
def _locked(folder: Path, on_wait: Callable[[], None] | None = None):
    """The folder's lock (another session running the same configuration holds it);
    ``on_wait()`` is called while waiting, and may raise to stop waiting."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.parent / f"{folder.name}.lock", "w") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                time.sleep(0.25)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass
class Outcome:
    """How a run went: served from a finished folder or run now, and how long it took."""
    folder: Path
    served: bool
    seconds: float


def run(checked: Checked, on_progress: Callable[[int, int], None] | None = None,
        on_wait: Callable[[int], None] | None = None) -> Outcome:
    """Serve the configuration from its finished folder, or run it as ``factsim`` does
    (every replication, then the run's folder) in a process of its own once a slot of the
    server's queue is free. ``on_progress(done, total)`` after each replication (and
    ``(-1, -1)`` now and then while it runs), ``on_wait(ahead)`` while it waits its turn;
    either may raise to stop the run. A run past ``work.run_seconds`` is stopped
    (:class:`worker.TimedOut`)."""
    started = time.time()
    lim = limits.limits()
    beat = None if on_wait is None else (lambda: on_wait(0))
    with _locked(checked.folder, beat):
        if finished(checked):
            os.utime(checked.folder)   # in use: housekeeping keeps it
            return Outcome(checked.folder, True, time.time() - started)
        queue = worker.shared_queue(lim.server)
        queue.enter(on_wait)
        try:
            discard_incomplete(checked.folder)   # what a killed run may have left
            job = worker.Job(checked.folder, checked.scenario, checked.config, checked.provenance,
                             checked.overrides, lim.server.cores_per_run)
            worker.run(job, lim.work.run_seconds, on_progress)
        except BaseException:
            discard_incomplete(checked.folder)
            raise
        finally:
            queue.leave()
    return Outcome(checked.folder, False, time.time() - started)


_REPORTING = threading.Lock()


def report(folder: Path) -> Path:
    """The run's Danish report (written once, beside the run's tables)."""
    from sim.output.report import make_report

    out = folder / "report_da.html"
    with _REPORTING:
        if not out.is_file():
            with DRAWING:
                make_report(folder, "da")
    return out


def report_soon(folder: Path) -> threading.Thread:
    """Write the run's report in the background (it draws its figures for some seconds), so
    it is ready when a leader asks for it; asking before it is ready waits for it."""
    thread = threading.Thread(target=report, args=(Path(folder),), daemon=True, name="factsim-report")
    thread.start()
    return thread
