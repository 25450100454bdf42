"""Write files so that nothing half-written ever looks finished.

Every table, plot, YAML file and manifest is written to a temporary name beside
its final one and renamed into place (``os.replace`` is atomic on one file
system): a run killed, out of disk or refused mid-write leaves either the old
file, the new file, or a ``.tmp`` that no reader opens. A manifest lists each
file with its SHA-256 digest, so a folder counts as finished only when its
manifest is valid and every file it lists is there with the same content.
This is the rule of pydesrap_mms and most workflow tools (Snakemake, Make's
``.DELETE_ON_ERROR``), applied to every file factsim writes.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it to ``path``, on
    any error remove it and leave ``path`` as it was."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        yield tmp
        os.replace(tmp, path)
    except OSError as err:   # name the file the user asked for, not the temporary one
        raise OSError(err.errno, f"cannot write ({err.strerror or err})", str(path)) from None
    finally:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def digest(path: Path) -> str:
    """The SHA-256 of a file's content, in hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def digests(folder: Path, files: list[str]) -> dict[str, str]:
    """The digest of each file (relative to ``folder``)."""
    return {name: digest(Path(folder) / name) for name in files}


def read_manifest(folder: Path, name: str) -> dict | None:
    """The manifest ``name`` of ``folder`` if the folder is finished: the manifest is
    valid JSON with a digest per file, and every listed file is there unchanged.
    Anything else (missing, empty, corrupted, a file missing or changed) is None."""
    try:
        manifest = json.loads((Path(folder) / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    sums = manifest.get("sha256") if isinstance(manifest, dict) else None
    if not isinstance(sums, dict) or not sums:
        return None
    for file, expected in sums.items():
        path = Path(folder) / str(file)
        try:
            if not path.is_file() or digest(path) != expected:
                return None
        except OSError:
            return None
    return manifest
