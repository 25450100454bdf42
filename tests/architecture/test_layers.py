"""The package's architecture: imports flow one way through the layers.

config <- model <- experiments <- output <- research <- apps. A module may import
from its own layer or a lower one, never from a higher one; the test reads every
module's imports (also those inside functions) with ``ast``, so a lazy import that
runs the wrong way fails too.

The model reads its configuration and never calls back into it: at run time a model
module takes from ``sim.config`` only frozen parameter types (the resolved care plan
among them) and constants, never a function (such as the layout's planning) or a
module to call into.
"""
from __future__ import annotations

import ast
import dataclasses
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "sim"
LAYERS = ("config", "model", "experiments", "output", "research", "apps")
RANK = {name: i for i, name in enumerate(LAYERS)}


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "conf" not in p.relative_to(PACKAGE).parts)


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "sim" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in RANK else None


def imported(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative imports would hide the layer: not allowed
                found.append((node.lineno, "." * node.level + (node.module or "")))
            elif node.module:
                found.append((node.lineno, node.module))
                if node.module == "sim":
                    found += [(node.lineno, f"sim.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
    return found


def own_layer(path: Path) -> str | None:
    rel = path.relative_to(PACKAGE).parts
    return rel[0] if len(rel) > 1 else None


def test_every_module_is_in_a_layer():
    loose = [p.name for p in modules() if own_layer(p) is None
             and p.name not in ("__init__.py", "__main__.py")]
    assert loose == [], f"modules outside the layers: {loose}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path):
    mine = own_layer(path)
    bad = []
    for line, module in imported(path):
        if module.startswith("."):
            bad.append(f"line {line}: relative import {module!r}; use sim.<layer>...")
            continue
        theirs = layer_of(module)
        if mine is None or theirs is None:
            continue
        if RANK[theirs] > RANK[mine]:
            bad.append(f"line {line}: {mine} imports {module} ({theirs} is a higher layer)")
    assert bad == []


def test_the_checker_sees_a_wrong_import(tmp_path):
    """The test itself can fail: a model module importing from output is caught."""
    fake = tmp_path / "sim" / "model" / "bad.py"
    fake.parent.mkdir(parents=True)
    fake.write_text("def f():\n    from sim.output.plots import x\n")
    (line, module), = imported(fake)
    assert line == 2 and layer_of(module) == "output" and RANK["output"] > RANK["model"]


MODEL = PACKAGE / "model"
# the model package's own entry (which core runs, a bad FACTSIM_CORE in one line) and the
# module that chooses the core: neither is the model, and neither reads parameters
CORE_CHOICE = ("__init__.py", "native.py")


def runtime_config_imports(path: Path) -> list[tuple[int, str, str]]:
    """(line, module, name) of each ``from sim.config... import name`` that runs when the
    module is imported or called: everything but the imports under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    typing_only = {id(n) for node in ast.walk(tree)
                   if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
                   for stmt in node.body for n in ast.walk(stmt)}
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sim.config"):
            found += [(node.lineno, node.module, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module == "sim":
            found += [(node.lineno, f"sim.{a.name}", "*") for a in node.names if a.name == "config"]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, "*") for a in node.names if a.name.startswith("sim.config")]
    return found


def read_only(module: str, name: str) -> bool:
    """Whether ``module.name`` is something the model may only read: a frozen dataclass
    (a parameter type) or a constant (a number, text, or a tuple or frozenset of them)."""
    if name == "*":
        return False   # a whole module: anything in it could be called
    obj = getattr(importlib.import_module(module), name, None)
    if isinstance(obj, type):
        return dataclasses.is_dataclass(obj) and obj.__dataclass_params__.frozen   # type: ignore[attr-defined]
    return isinstance(obj, (int, float, str, tuple, frozenset)) and not callable(obj)


def model_modules() -> list[Path]:
    return sorted(p for p in MODEL.glob("*.py") if p.name not in CORE_CHOICE)


@pytest.mark.parametrize("path", model_modules(), ids=lambda p: p.name)
def test_the_model_takes_only_frozen_types_and_constants_from_the_configuration(path):
    bad = [f"line {line}: {module}.{name} is not a frozen parameter type or a constant"
           for line, module, name in runtime_config_imports(path) if not read_only(module, name)]
    assert bad == []


def test_the_config_checker_refuses_a_function_a_module_and_a_mutable_class(tmp_path):
    """The test itself can fail: the planning function, a whole config module and a
    class that is not a frozen dataclass are caught; a typing-only import is not."""
    fake = tmp_path / "bad.py"
    fake.write_text("from typing import TYPE_CHECKING\n"
                    "from sim.config.params import Scenario, SECTORS, plan_care\n"
                    "from sim.config.errors import ConfigError\n"
                    "import sim.config.geography\n"
                    "if TYPE_CHECKING:\n"
                    "    from sim.config.load import load\n"
                    "def build():\n"
                    "    from sim.config.layout import Layout\n")
    verdicts = {(m, n): read_only(m, n) for _, m, n in runtime_config_imports(fake)}
    assert verdicts == {("sim.config.params", "Scenario"): True, ("sim.config.params", "SECTORS"): True,
                        ("sim.config.params", "plan_care"): False, ("sim.config.errors", "ConfigError"): False,
                        ("sim.config.geography", "*"): False, ("sim.config.layout", "Layout"): True}
