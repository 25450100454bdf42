"""The package's architecture: imports flow one way through the layers.

config <- model <- experiments <- output <- research <- apps. A module may import
from its own layer or a lower one, never from a higher one; the test reads every
module's imports (also those inside functions) with ``ast``, so a lazy import that
runs the wrong way fails too.
"""
from __future__ import annotations

import ast
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
