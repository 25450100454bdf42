"""The workshop's disk kept clean (sim.apps.workshop.housekeeping) and its runs queued,
timed out and stopped (sim.apps.workshop.worker)."""
from __future__ import annotations

import dataclasses
import os
import threading
import time

import pytest

from sim.apps.workshop import housekeeping, runs, worker
from sim.apps.workshop.limits import Refusal, limits

DAY = 86400.0


def _entry(parent, name: str, age_days: float, size: int, now: float):
    folder = parent / name
    folder.mkdir(parents=True)
    (folder / "data.bin").write_bytes(b"x" * size)
    os.utime(folder, (now - age_days * DAY, now - age_days * DAY))
    return folder


def test_expiry_removes_old_runs_and_uploads_and_keeps_the_newest(tmp_path):
    now = time.time()
    server = dataclasses.replace(limits().server, keep_days=7, quota_mb=1.3, keep_newest=2, in_use_minutes=60)
    old_run = _entry(tmp_path, "a" * 16, 10, 1000, now)
    old_upload = _entry(tmp_path / "uploads", "b" * 16, 9, 1000, now)
    (tmp_path / f"{'a' * 16}.lock").write_text("")
    big_old = [_entry(tmp_path, f"{i:016x}", 2 + i * 0.1, 400_000, now) for i in range(4)]   # 1.6 MB > 1 MB
    newest = [_entry(tmp_path, f"{'c' * 15}{i}", 0.5 + i * 0.01, 400_000, now) for i in range(2)]
    not_ours = tmp_path / "notes.txt"
    not_ours.write_text("the analytics unit's own file")
    removed = housekeeping.sweep(tmp_path, server, now)
    assert old_run in removed and old_upload in removed and not old_run.exists() and not old_upload.exists()
    assert not (tmp_path / f"{'a' * 16}.lock").exists()
    assert all(p.exists() for p in newest) and not_ours.exists()   # the newest, and what is not the page's
    left = sum(housekeeping._size(e.path) for e in housekeeping.entries(tmp_path))
    assert left <= 1.3 * 1024 * 1024                              # within the quota
    assert [p.exists() for p in big_old] == [True, False, False, False]   # the least recently used went first


def test_a_folder_in_use_or_running_is_kept(tmp_path):
    import fcntl
    now = time.time()
    server = dataclasses.replace(limits().server, keep_days=1, quota_mb=1.0, keep_newest=0, in_use_minutes=60)
    shown = _entry(tmp_path, "d" * 16, 0.01, 10, now)           # shown a quarter of an hour ago
    running = _entry(tmp_path, "e" * 16, 5, 10, now)
    with open(tmp_path / f"{'e' * 16}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        housekeeping.sweep(tmp_path, server, now)
        assert shown.exists() and running.exists()
    housekeeping.sweep(tmp_path, server, now)
    assert not running.exists()


def test_the_queue_runs_at_most_its_slots_and_refuses_beyond_its_length():
    queue = worker.Queue(slots=1, max_waiting=1)
    queue.enter()
    seen = []
    waiter = threading.Thread(target=lambda: (queue.enter(seen.append), seen.append("in")), daemon=True)
    waiter.start()
    time.sleep(1.2)
    assert seen and seen[-1] == 1 and "in" not in seen   # waiting, told that one run is ahead
    with pytest.raises(Refusal) as refused:
        queue.enter()
    assert refused.value.word == "busy"
    queue.leave()
    waiter.join(5)
    assert seen[-1] == "in"


def test_a_run_past_its_time_limit_is_stopped_and_leaves_no_folder(tmp_path):
    checked = runs.check(runs.Request(replications=40, seed=9, overrides=["plots=false"]), tmp_path)
    job = worker.Job(checked.folder, checked.scenario, checked.config, checked.provenance, checked.overrides, 1)
    started = time.monotonic()
    with pytest.raises(worker.TimedOut):
        worker.run(job, 3.0)
    assert time.monotonic() - started < 20
    assert not (checked.folder / "manifest.json").exists()


def test_a_run_the_page_stops_waiting_for_is_killed(tmp_path):
    checked = runs.check(runs.Request(replications=40, seed=10, overrides=["plots=false"]), tmp_path)
    started = time.monotonic()

    def stop(done: int, total: int) -> None:   # as Streamlit's Stop raises in the page's thread
        if time.monotonic() - started > 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        runs.run(checked, stop)
    assert time.monotonic() - started < 20
    assert not checked.folder.exists() or not (checked.folder / "manifest.json").exists()
