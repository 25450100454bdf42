"""``make native``: compile the model's core with mypyc, check it, and keep it only if it
gives the same numbers as pure Python.

    python -m sim.apps.native            # build (about 30 s), check, install; nothing if fresh
    python -m sim.apps.native --force    # build even if fresh
    python -m sim.apps.native --status   # which core runs, and why
    python -m sim.apps.native --remove   # back to pure Python

The compiled core is optional: without it the model gives the same numbers and takes
about half as long again. It needs mypyc (part of mypy, in the dev install) and a C
compiler with the Python headers. The build type-checks the model's modules, turns them
into C, compiles them in a temporary folder, and installs them into
``sim/model/_native/`` with the manifest written last (:mod:`sim.model.native` uses
nothing without it). It then runs a short check in two fresh processes, one on each
core, and removes the compiled core again if their outputs differ by a single bit, or if
it cannot run the check.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from sim.config.errors import exit_bad_input
from sim.model import native

TOOL = "factsim-native"
PACKAGE = native.HERE
ROOT = PACKAGE.parents[1]
# mypyc checks optional types strictly, as the project's own mypy does for the whole package
MYPY_CONFIG = """\
[mypy]
python_version = {python}
ignore_missing_imports = True
"""
# what the check runs on each core: the default study, one replication per organisation,
# with the event log; it prints a hash of every output
CHECK = """\
import hashlib, sys
import pandas as pd
from sim.config.load import load
from sim.config.paths import SCENARIOS
from sim.experiments.simulate import simulate
from sim.model import CORE
from hydra import compose, initialize_config_dir
with initialize_config_dir(config_dir=str(SCENARIOS), version_base="1.3"):
    overrides = ["population.beds=3", "results_years=2"]
    sc = load(compose("config", overrides=overrides))[0]
h = hashlib.sha256()
for org in sc.organisations:
    r = simulate(sc, org, 0)
    h.update(repr(sorted(r.metrics.items())).encode())
    for f in (r.events, r.timeseries, r.citizens, r.municipalities, r.teams):
        if f is not None:
            h.update(pd.util.hash_pandas_object(f, index=True).values.tobytes())
print(CORE.kind, h.hexdigest())
"""


class BuildError(RuntimeError):
    """The compiler or the check failed: the message says what, the log has the rest."""


def _say(text: str) -> None:
    print(f"{TOOL}: {text}", flush=True)


@contextlib.contextmanager
def _quietly_in_root(log: io.StringIO) -> Iterator[None]:
    """Run the compiler from the repository's root, its output to ``log``."""
    with contextlib.chdir(ROOT), contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        yield


def build(log_path: Path) -> float:
    """Compile the model's modules; install them with their manifest. Returns seconds taken."""
    try:
        from mypyc.build import mypycify
        from setuptools import Distribution
    except ImportError as err:
        raise BuildError(f"needs mypyc and setuptools ({err.name} is missing): "
                         "make install (the dev install) brings them") from None
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="factsim-native-"))
    log = io.StringIO()
    try:
        config = work / "mypyc.ini"
        config.write_text(MYPY_CONFIG.format(python=f"{sys.version_info[0]}.{sys.version_info[1]}"))
        files = [str((PACKAGE / f"{m}.py").relative_to(ROOT)) for m in native.MODULES]
        manifest = native.manifest_for(PACKAGE)   # the sources as they are when the build starts
        _say(f"type-checking and translating {len(files)} modules to C (mypyc)")
        with _quietly_in_root(log):
            try:
                extensions = mypycify(["--config-file", str(config), "--cache-dir", str(work / "cache"),
                                       *files], opt_level="3", group_name=f"sim.model.{native.GROUP}",
                                      target_dir=str(work / "c"))
            except SystemExit:   # mypyc reports type errors and exits
                raise BuildError("mypyc refused the model's modules (type errors)") from None
        _say("compiling the C (about half a minute here)")
        dist = Distribution({"name": "factsim-native", "ext_modules": extensions})
        dist.script_args = ["build_ext", "--build-lib", str(work / "lib"), "--build-temp", str(work / "obj"),
                            "--parallel", "2"]
        with _quietly_in_root(log):
            try:
                dist.parse_command_line()
                dist.run_commands()
            except (Exception, SystemExit) as err:   # a missing compiler or header ends here
                raise BuildError(f"the C compiler failed ({str(err).strip() or type(err).__name__})") from None
        built = work / "lib" / "sim" / "model"
        if manifest["sources"] != native.sources(PACKAGE):
            raise BuildError("the model's sources changed during the build: run it again")
        install(built, manifest)
    finally:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text(log.getvalue())
        shutil.rmtree(work, ignore_errors=True)
    return time.perf_counter() - started


def install(built: Path, manifest: dict) -> None:
    """Put the compiled modules in place of any older ones; the manifest is written last."""
    folder = PACKAGE / native.FOLDER_NAME
    remove()
    staging = Path(tempfile.mkdtemp(prefix=".native-", dir=PACKAGE))
    try:
        for name in native.EXTENSIONS:
            shutil.copy2(built / f"{name}{native.suffix()}", staging / f"{name}{native.suffix()}")
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    (folder / native.MANIFEST).write_text(json.dumps(
        {**manifest, "built": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
         "python": sys.version.split()[0]}, indent=1))


def remove() -> bool:
    """Remove the compiled core (manifest first, so that a half-removed one is never used)."""
    folder = PACKAGE / native.FOLDER_NAME
    if not folder.exists():
        return False
    (folder / native.MANIFEST).unlink(missing_ok=True)
    shutil.rmtree(folder)
    return True


def fingerprint(core: str) -> tuple[str, str]:
    """Run the check on one core in a fresh process: the core it ran on and its outputs' hash."""
    env = {**os.environ, native.SETTING: core}
    done = subprocess.run([sys.executable, "-c", CHECK], env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"the check on the {core} core failed: {done.stderr.strip().splitlines()[-1:]}")
    kind, digest = done.stdout.split()[-2:]
    return kind, digest


def check() -> None:
    """The compiled core must give what pure Python gives, bit for bit; if not it is removed."""
    _say("checking that the compiled core gives the same numbers as pure Python")
    try:
        pure, compiled = fingerprint("python"), fingerprint("compiled")
    except BuildError:   # a compiled core that cannot run the check is not kept either
        remove()
        raise
    if compiled != ("compiled", pure[1]):
        remove()
        raise BuildError(f"the compiled core's outputs differ from pure Python's ({' '.join(compiled)} "
                         f"against {' '.join(pure)}): removed, pure Python runs")


def main(argv: list[str] | None = None) -> None:
    """Build, check and install the compiled core (or say its status, or remove it)."""
    ap = argparse.ArgumentParser(prog=TOOL, description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--status", action="store_true", help="say which core runs, and why")
    group.add_argument("--remove", action="store_true", help="remove the compiled core")
    group.add_argument("--force", action="store_true", help="build even if the compiled core is fresh")
    ap.add_argument("--log", type=Path, default=ROOT / "build" / "native.log",
                    help="where the compiler's output goes (default: build/native.log)")
    args = ap.parse_args(argv)
    if args.status:
        try:
            core = native.choose()
        except native.CoreError as err:
            exit_bad_input(TOOL, err)
        print(core.describe())
        return
    if args.remove:
        _say("compiled core removed: pure Python runs" if remove() else "no compiled core: pure Python runs")
        return
    built = native.choose("auto", PACKAGE)   # what a run would use, whatever FACTSIM_CORE says
    if not args.force and built.kind == "compiled":
        _say(f"up to date: {built.describe()} (--force rebuilds it)")
        return
    try:
        seconds = build(args.log)
        check()
    except BuildError as err:
        print(f"{TOOL}: error: {err}; the model runs in pure Python (the compiler's output: {args.log})",
              file=sys.stderr)
        sys.exit(1)
    _say(f"built in {seconds:.0f} s and checked: {native.choose().describe()}")


if __name__ == "__main__":
    main()
