"""Writing files: atomic replacement, manifests that match their files, and workers
that end with their parent (sim.output.files, sim.experiments.parent)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from sim.output.files import digest, digests, read_manifest, replacing, write_text

from ..conftest import ROOT


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text("old")
    with pytest.raises(RuntimeError):
        with replacing(path) as tmp:
            tmp.write_text("half of the new")
            raise RuntimeError("disk full")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_a_write_replaces_the_file_and_creates_its_folder(tmp_path):
    path = tmp_path / "a" / "b" / "report.html"
    write_text(path, "ny")
    assert path.read_text(encoding="utf-8") == "ny"
    assert sorted(p.name for p in path.parent.iterdir()) == ["report.html"]


def test_an_unwritable_place_names_the_final_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OSError) as err:
        write_text(blocker / "inside.txt", "y")   # a file where a folder should be
    assert err.value.filename == str(blocker / "inside.txt")


def test_the_manifest_counts_only_when_every_file_matches(tmp_path):
    (tmp_path / "a.csv").write_text("1,2")
    (tmp_path / "b.csv").write_text("3,4")
    manifest = {"tool": "t", "sha256": digests(tmp_path, ["a.csv", "b.csv"])}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert read_manifest(tmp_path, "manifest.json") == manifest
    (tmp_path / "b.csv").write_text("3,5")                      # changed since
    assert read_manifest(tmp_path, "manifest.json") is None
    (tmp_path / "b.csv").write_text("3,4")
    assert read_manifest(tmp_path, "manifest.json") is not None
    (tmp_path / "a.csv").unlink()                               # missing
    assert read_manifest(tmp_path, "manifest.json") is None


@pytest.mark.parametrize("text", ["", "{not json", "[1, 2]", "{}", '{"sha256": {}}', '{"sha256": [1]}'])
def test_a_broken_manifest_is_not_finished(tmp_path, text):
    (tmp_path / "manifest.json").write_text(text)
    assert read_manifest(tmp_path, "manifest.json") is None


def test_the_digest_is_sha256_of_the_content(tmp_path):
    import hashlib
    (tmp_path / "x").write_bytes(b"factsim")
    assert digest(tmp_path / "x") == hashlib.sha256(b"factsim").hexdigest()


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_a_worker_ends_when_its_parent_is_killed(tmp_path):
    """A parent process starts a worker that would sleep for a minute, then dies at once
    (as under kill -9); the worker notices and ends instead of running on."""
    pid_file = tmp_path / "worker.pid"
    script = textwrap.dedent(f"""
        import multiprocessing, os, time
        from sim.experiments.parent import end_with_parent

        def work(path):
            end_with_parent(poll_seconds=0.2)
            open(path, "w").write(str(os.getpid()))
            time.sleep(60)

        if __name__ == "__main__":
            p = multiprocessing.get_context("spawn").Process(target=work, args=({str(pid_file)!r},))
            p.start()
            for _ in range(600):
                if os.path.exists({str(pid_file)!r}) and open({str(pid_file)!r}).read():
                    break
                time.sleep(0.1)
            os._exit(0)   # the parent is gone without ending its worker
    """)
    path = tmp_path / "parent.py"
    path.write_text(script)
    subprocess.run([sys.executable, str(path)], check=True, timeout=120, cwd=ROOT)
    worker = int(pid_file.read_text())
    for _ in range(300):   # wait for the worker to end (it would otherwise sleep a minute)
        if not _alive(worker):
            break
        time.sleep(0.1)
    else:
        os.kill(worker, 9)
        pytest.fail("the worker ran on after its parent was killed")


def _alive(pid: int) -> bool:
    """Running (a zombie waiting to be reaped by init has ended)."""
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
