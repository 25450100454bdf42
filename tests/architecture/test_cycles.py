"""No import cycles in ``sim``: each module can be read after the modules it imports.

Every import counts, also one inside a function or under ``if TYPE_CHECKING:`` (a
cycle of type hints still means neither module can be understood, or compiled by
mypyc, without the other).
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "sim"


def module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each module of the package at ``root`` and the package's modules it imports."""
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:   # from a package import a module, or a name of the module
                    sub = f"{node.module}.{alias.name}"
                    targets.add(sub if sub in files else node.module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = {t for t in targets if t in files and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round a loop (the
    strongly connected components with more than one module; Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_sim_has_no_import_cycles():
    assert cycles(import_graph(PACKAGE)) == []


def test_the_graph_has_the_imports_that_matter():
    graph = import_graph(PACKAGE)
    assert "sim.model.catchment" in graph["sim.model.citizen"]   # under TYPE_CHECKING
    assert "sim.model.citizen" in graph["sim.model.replication"]
    assert "sim.config.layout" in graph["sim.config.params"]
    assert "sim.model.native" in graph["sim.model"]   # from sim.model import native


def test_the_checker_finds_a_cycle_through_a_type_hint_and_a_lazy_import(tmp_path):
    """The test itself can fail: the two cycles this package once had, rebuilt."""
    root = tmp_path / "sim"
    for folder in ("config", "model"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "config" / "params.py").write_text("from sim.config.layout import Layout\n")
    (root / "config" / "layout.py").write_text("from typing import TYPE_CHECKING\n"
                                               "if TYPE_CHECKING:\n    from sim.config.params import Organisation\n")
    (root / "model" / "replication.py").write_text("from sim.model.citizen import Citizen\n")
    (root / "model" / "citizen.py").write_text("def f():\n    from sim.model import replication\n")
    (root / "model" / "ward.py").write_text("from sim.config.params import Organisation\n")
    assert cycles(import_graph(root)) == [["sim.config.layout", "sim.config.params"],
                                          ["sim.model.citizen", "sim.model.replication"]]
