"""Which core runs the model: the pure-Python modules, or the same modules compiled.

``make native`` (:mod:`sim.apps.native`) compiles the model's modules with mypyc into
``sim/model/_native/``: C extension modules built from the very same source files, which
give the same numbers bit for bit (the build checks that before it keeps them). This
module decides, when :mod:`sim.model` is imported, whether those compiled modules are
used, by putting their folder before the package's own on the package's search path.

They are used only if they are *fresh*: built by this Python (the extension suffix),
against the sources as they are now (a hash of every compiled module and of the
configuration modules whose types the compiler relied on, written by the build in its
manifest) and against the same SimPy. Anything else, an edited source included, falls
back to pure Python: a compiled module never shadows a changed ``.py``.

``FACTSIM_CORE`` chooses: ``auto`` (the default: compiled if fresh, else pure Python),
``python`` (always pure Python) or ``compiled`` (compiled, or an error that says why not).

This module reads only the standard library and the files; it is never compiled itself.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from importlib import machinery, metadata
from pathlib import Path

# the modules the build compiles (sim.model.<name>); the package's __init__ and this
# module stay Python
MODULES = ("capacity", "care_network", "catchment", "census", "citizen", "course", "draws", "event_log",
           "names", "process", "recorder", "replication", "rollout", "streams", "team", "ward")
# the shared library that holds the compiled code; the modules above are thin shims on it
GROUP = "core"
LIBRARY = f"{GROUP}__mypyc"
EXTENSIONS = (*MODULES, LIBRARY)   # the extension modules a build installs
SETTING = "FACTSIM_CORE"
CHOICES = ("auto", "python", "compiled")
FOLDER_NAME = "_native"
MANIFEST = "manifest.json"
HERE = Path(__file__).resolve().parent


class CoreError(ValueError):
    """``FACTSIM_CORE`` has a value not allowed, or asks for a compiled core that cannot be used."""


@dataclass(frozen=True)
class Core:
    """The core chosen: ``kind`` is "compiled" or "python"; ``reason`` says why, in words."""
    kind: str
    reason: str
    folder: Path | None = None   # the compiled modules' folder, if used

    def describe(self) -> str:
        """One line for a user: which core, and why."""
        name = "compiled (mypyc)" if self.kind == "compiled" else "pure Python"
        return f"{name}: {self.reason}"


def sources(package: Path = HERE) -> dict[str, str]:
    """The hash of every source the compiled core was built from: the compiled modules,
    and the configuration modules whose types the compiler relied on."""
    files = [package / f"{m}.py" for m in MODULES] + sorted((package.parent / "config").glob("*.py"))
    return {f"{f.parent.name}/{f.name}": hashlib.sha256(f.read_bytes()).hexdigest()
            for f in files if f.exists()}


def suffix() -> str:
    """The file ending of this Python's extension modules (e.g. .cpython-311-x86_64-linux-gnu.so)."""
    return machinery.EXTENSION_SUFFIXES[0]


def simpy_version() -> str:
    """The installed SimPy's version (the compiled core calls into it)."""
    try:
        return metadata.version("simpy")
    except metadata.PackageNotFoundError:   # pragma: no cover - simpy is a dependency
        return "unknown"


def manifest_for(package: Path = HERE) -> dict:
    """What a build records, and what a fresh build must still match."""
    return {"suffix": suffix(), "simpy": simpy_version(), "sources": sources(package)}


def stale(folder: Path, package: Path = HERE) -> str | None:
    """Why the compiled modules in ``folder`` cannot be used, or None if they can."""
    path = folder / MANIFEST
    if not folder.is_dir():
        return "not built (make native builds it)"
    try:
        built = json.loads(path.read_text())
        recorded = {k: built[k] for k in ("suffix", "simpy", "sources")}
    except (OSError, ValueError, KeyError, TypeError):
        return f"{path} is missing or unreadable (an unfinished build?): make native rebuilds it"
    now = manifest_for(package)
    if recorded["suffix"] != now["suffix"]:
        return f"built for another Python ({recorded['suffix']}): make native rebuilds it"
    if recorded["simpy"] != now["simpy"]:
        return f"built against simpy {recorded['simpy']}, {now['simpy']} is installed: make native rebuilds it"
    changed = sorted(k for k in now["sources"].keys() | recorded["sources"].keys()
                     if now["sources"].get(k) != recorded["sources"].get(k))
    if changed:
        return f"out of date: {', '.join(changed)} changed since the build (make native rebuilds it)"
    missing = [m for m in EXTENSIONS if not (folder / f"{m}{suffix()}").exists()]
    if missing:
        return f"incomplete: no compiled {', '.join(missing)} (make native rebuilds it)"
    return None


def choose(setting: str | None = None, package: Path = HERE) -> Core:
    """The core to run, from ``FACTSIM_CORE`` (or ``setting``) and the compiled modules' state."""
    wanted = (os.environ.get(SETTING, "auto") if setting is None else setting).strip().lower() or "auto"
    if wanted not in CHOICES:
        raise CoreError(f"{SETTING}={wanted!r}: must be one of {', '.join(CHOICES)}")
    if wanted == "python":
        return Core("python", f"chosen by {SETTING}=python")
    folder = package / FOLDER_NAME
    why_not = stale(folder, package)
    if why_not is None:
        return Core("compiled", f"built from these sources ({folder})", folder)
    if wanted == "compiled":
        raise CoreError(f"{SETTING}=compiled: the compiled core cannot be used: {why_not}")
    return Core("python", f"compiled core {why_not}")


def activate(path: list[str], setting: str | None = None, package: Path = HERE) -> Core:
    """Choose the core; if compiled, put its folder first on the package's search ``path``."""
    core = choose(setting, package)
    if core.folder is not None and str(core.folder) not in path:
        path.insert(0, str(core.folder))
    return core
