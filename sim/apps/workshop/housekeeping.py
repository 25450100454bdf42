"""The workshop's disk kept clean: run folders and uploads expire, within a quota.

Under the workshop's outputs (``outputs/workshop/``) every run folder
(``<16 hex digits>/``), every upload (``uploads/<16 hex digits>/``) and every lock file
(``<16 hex digits>.lock``) is an *entry*. Its age is the time since it was last used (a
run shown or served, an upload chosen: the page touches it). :func:`sweep` removes

1. entries older than ``server.keep_days``;
2. then, while the entries take more than ``server.quota_mb``, the least recently used;

but never the ``server.keep_newest`` newest, nor one used in the last
``server.in_use_minutes`` (a leader may be looking at it), nor a folder whose run is
under way (its lock is held). A lock file goes with its folder. Only names the page
itself makes are touched: nothing else in the folder is removed.
"""
from __future__ import annotations

import fcntl
import re
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sim.apps.workshop.limits import Server

_ENTRY = re.compile(r"[0-9a-f]{16}")
_LAST: dict[str, float] = {}
_LAST_LOCK = threading.Lock()


@dataclass(frozen=True)
class Entry:
    """A run folder or an upload, with when it was last used and what it takes on disk."""
    path: Path
    used: float
    size: int


def entries(outputs: Path) -> list[Entry]:
    """The run folders and uploads under ``outputs``, newest first."""
    out = []
    for parent in (outputs, outputs / "uploads"):
        if not parent.is_dir():
            continue
        for path in parent.iterdir():
            if path.is_dir() and _ENTRY.fullmatch(path.name):
                out.append(Entry(path, path.stat().st_mtime, _size(path)))
    return sorted(out, key=lambda e: e.used, reverse=True)


def _size(folder: Path) -> int:
    total = 0
    for p in folder.rglob("*"):
        try:
            if p.is_file() and not p.is_symlink():
                total += p.stat().st_size
        except OSError:   # removed meanwhile
            pass
    return total


def _busy(entry: Path) -> bool:
    """Whether a run of this folder is under way (another thread or process holds its lock)."""
    lock = entry.parent / f"{entry.name}.lock"
    if not lock.is_file():
        return False
    with open(lock, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
    return False


def sweep(outputs: Path, server: Server, now: float | None = None) -> list[Path]:
    """Remove expired entries, then the least recently used beyond the quota; return what
    was removed."""
    outputs = Path(outputs)
    now = time.time() if now is None else now
    found = entries(outputs)
    keep = {e.path for e in found[:server.keep_newest]}
    keep |= {e.path for e in found if now - e.used < server.in_use_minutes * 60}
    removed = []
    total = sum(e.size for e in found)
    quota = server.quota_mb * 1024 * 1024
    for entry in reversed(found):   # oldest first
        expired = now - entry.used > server.keep_days * 86400
        if entry.path in keep or not (expired or total > quota) or _busy(entry.path):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        (entry.path.parent / f"{entry.path.name}.lock").unlink(missing_ok=True)
        total -= entry.size
        removed.append(entry.path)
    for lock in outputs.glob("*.lock"):   # a lock whose folder is gone (a refused or stopped run)
        if _ENTRY.fullmatch(lock.stem) and not (outputs / lock.stem).exists() \
                and now - lock.stat().st_mtime > server.in_use_minutes * 60 and not _busy(outputs / lock.stem):
            lock.unlink(missing_ok=True)
    return removed


def sweep_soon(outputs: Path, server: Server, every: float = 60.0) -> threading.Thread | None:
    """Sweep in the background, at most once a minute per outputs folder (the page asks at
    every redraw)."""
    key = str(Path(outputs).resolve())
    with _LAST_LOCK:
        if time.monotonic() - _LAST.get(key, -every) < every:
            return None
        _LAST[key] = time.monotonic()
    thread = threading.Thread(target=_quietly, args=(Path(outputs), server), daemon=True,
                              name="factsim-housekeeping")
    thread.start()
    return thread


def _quietly(outputs: Path, server: Server) -> None:
    import logging
    try:
        removed = sweep(outputs, server)
        if removed:
            logging.getLogger("factsim.workshop").info("housekeeping: removed %d old folders", len(removed))
    except OSError as err:   # a folder removed by another process meanwhile: next time
        logging.getLogger("factsim.workshop").warning("housekeeping: %s", err)
