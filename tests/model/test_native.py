"""Which core runs (sim.model.native): a compiled module is used only while it is fresh,
never shadows an edited source, and FACTSIM_CORE is checked like any other input.

The choice is tested on a copy of the package's sources with stand-in compiled files, so
that these tests need no compiler; the compiled core itself is run by ``make test-native``
(the model's, back, verification and study tests again, with ``FACTSIM_CORE=compiled``).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sim.model import CORE, native

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def package(tmp_path) -> Path:
    """A copy of sim/model and sim/config's sources, with a fresh stand-in build."""
    model = tmp_path / "sim" / "model"
    shutil.copytree(native.HERE, model, ignore=shutil.ignore_patterns("_native", "__pycache__", ".native-*"))
    shutil.copytree(native.HERE.parent / "config", tmp_path / "sim" / "config",
                    ignore=shutil.ignore_patterns("__pycache__"))
    folder = model / native.FOLDER_NAME
    folder.mkdir()
    for name in native.EXTENSIONS:
        (folder / f"{name}{native.suffix()}").write_bytes(b"stand-in")
    (folder / native.MANIFEST).write_text(json.dumps(native.manifest_for(model)))
    return model


def test_a_fresh_build_is_used_and_put_first_on_the_search_path(package):
    core = native.choose("auto", package)
    assert core.kind == "compiled" and core.folder == package / native.FOLDER_NAME
    assert native.choose("compiled", package).kind == "compiled"
    path = [str(package)]
    native.activate(path, "auto", package)
    native.activate(path, "auto", package)
    assert path == [str(package / native.FOLDER_NAME), str(package)]
    path = [str(package)]
    assert native.activate(path, "python", package).kind == "python" and path == [str(package)]


@pytest.mark.parametrize("edit", ["model/citizen.py", "model/ward.py", "config/params.py"])
def test_an_edited_source_falls_back_to_pure_python(package, edit):
    source = package.parent / edit
    source.write_text(source.read_text() + "\n# an edit\n")
    core = native.choose("auto", package)
    assert core.kind == "python" and core.folder is None
    assert edit in core.reason and "make native" in core.reason
    with pytest.raises(native.CoreError, match=f"FACTSIM_CORE=compiled: .*{edit}"):
        native.choose("compiled", package)


def test_a_build_for_another_python_or_simpy_is_not_used(package):
    path = package / native.FOLDER_NAME / native.MANIFEST
    good = json.loads(path.read_text())
    path.write_text(json.dumps({**good, "suffix": ".cpython-39-x86_64-linux-gnu.so"}))
    assert "another Python" in native.choose("auto", package).reason
    path.write_text(json.dumps({**good, "simpy": "0.1"}))
    assert "simpy 0.1" in native.choose("auto", package).reason


@pytest.mark.parametrize("damage", ["no manifest", "broken manifest", "manifest without sources",
                                    "a module missing", "the library missing", "no folder"])
def test_an_unfinished_or_damaged_build_is_not_used(package, damage):
    folder = package / native.FOLDER_NAME
    if damage == "no manifest":
        (folder / native.MANIFEST).unlink()
    elif damage == "broken manifest":
        (folder / native.MANIFEST).write_text('{"suffix": ')
    elif damage == "manifest without sources":
        (folder / native.MANIFEST).write_text(json.dumps({"suffix": native.suffix(), "simpy": "x"}))
    elif damage == "a module missing":
        (folder / f"citizen{native.suffix()}").unlink()
    elif damage == "the library missing":
        (folder / f"{native.LIBRARY}{native.suffix()}").unlink()
    else:
        shutil.rmtree(folder)
    core = native.choose("auto", package)
    assert core.kind == "python" and "make native" in core.reason
    with pytest.raises(native.CoreError):
        native.choose("compiled", package)


@pytest.mark.parametrize("value", ["fast", "C", "1", "compiled,python"])
def test_a_wrong_setting_names_the_variable_and_what_is_allowed(package, value):
    with pytest.raises(native.CoreError, match="FACTSIM_CORE=.*must be one of auto, python, compiled"):
        native.choose(value, package)


def test_the_setting_is_read_from_the_environment_case_and_spaces_aside(package, monkeypatch):
    monkeypatch.setenv(native.SETTING, " Python ")
    assert native.choose(package=package).kind == "python"
    monkeypatch.setenv(native.SETTING, "")
    assert native.choose(package=package).kind == "compiled"


def _python(code: str, core: str) -> subprocess.CompletedProcess:
    env = {**os.environ, native.SETTING: core}
    return subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)


def test_a_wrong_setting_at_import_is_one_line_and_exit_2():
    done = _python("import sim.model", "fast")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "factsim: error: FACTSIM_CORE='fast': must be one of auto, python, compiled"]


def test_the_pure_python_core_runs_the_source_files():
    done = _python("import sim.model as m, sim.model.citizen as c; print(m.CORE.kind, c.__file__)", "python")
    kind, path = done.stdout.split()
    assert kind == "python" and path.endswith("citizen.py")


def test_the_core_that_ran_is_named_in_the_status_and_the_run_manifest(tmp_path):
    from sim.output.run_folder import write_manifest

    write_manifest(tmp_path, "factsim", 0.0, [])
    assert json.loads((tmp_path / "manifest.json").read_text())["core"] == CORE.kind
    done = subprocess.run([sys.executable, "-m", "sim.apps.native", "--status"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith(("pure Python: ", "compiled (mypyc): "))


@pytest.mark.skipif(os.environ.get(native.SETTING, "").strip().lower() != "compiled",
                    reason="runs in make test-native, where FACTSIM_CORE=compiled")
def test_the_compiled_leg_really_runs_compiled_modules():
    import sim.model.citizen
    import sim.model.replication

    assert CORE.kind == "compiled"
    for module in (sim.model.citizen, sim.model.replication):
        assert module.__file__.endswith(native.suffix()), module.__file__


def test_a_compiled_core_whose_outputs_differ_from_pure_python_is_removed(package, monkeypatch):
    from sim.apps import native as build

    monkeypatch.setattr(build, "PACKAGE", package)
    monkeypatch.setattr(build, "fingerprint", lambda core: (core, "ab" if core == "python" else "ac"))
    with pytest.raises(build.BuildError, match="differ from pure Python's"):
        build.check()
    assert not (package / native.FOLDER_NAME).exists()
    assert native.choose("auto", package).kind == "python"


def test_a_compiled_core_that_cannot_run_the_check_is_removed(package, monkeypatch):
    from sim.apps import native as build

    def crash(core):
        raise build.BuildError(f"the check on the {core} core failed")

    monkeypatch.setattr(build, "PACKAGE", package)
    monkeypatch.setattr(build, "fingerprint", crash)
    with pytest.raises(build.BuildError):
        build.check()
    assert not (package / native.FOLDER_NAME).exists()


def test_a_failed_build_is_one_line_exit_1_and_keeps_nothing(package, monkeypatch, capsys, tmp_path):
    from sim.apps import native as build

    def no_compiler(log):
        raise build.BuildError("the C compiler failed (command 'gcc' failed: No such file or directory)")

    monkeypatch.setattr(build, "PACKAGE", package)
    monkeypatch.setattr(build, "build", no_compiler)
    shutil.rmtree(package / native.FOLDER_NAME)
    with pytest.raises(SystemExit) as ended:
        build.main(["--force", "--log", str(tmp_path / "native.log")])
    assert ended.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "gcc" in err[0] and "pure Python" in err[0]
    assert not (package / native.FOLDER_NAME).exists()
