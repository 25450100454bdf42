"""Every module of the model has its own test file, as the modellers' guide promises."""
from __future__ import annotations

from pathlib import Path

from sim.model.native import MODULES

TESTS = Path(__file__).resolve().parent.parent / "model"


def test_every_model_module_has_a_test_file_of_its_own():
    missing = [m for m in MODULES if not (TESTS / f"test_{m}.py").exists()]
    assert missing == []


def test_the_compiled_modules_are_every_module_of_the_model_but_the_chooser():
    here = Path(__file__).resolve().parents[2] / "sim" / "model"
    modules = {p.stem for p in here.glob("*.py")} - {"__init__", "native"}
    assert modules == set(MODULES)
