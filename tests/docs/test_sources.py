"""Every source a parameter cites resolves inside the repository.

A ``sources:`` text in the YAML of ``scenarios/`` and ``calibration/`` begins with the
word ``assumption`` or cites entries of ``docs/evidence.md`` in square brackets
(``[landheim2020]``, ``[rm2025 Box 6]``), or the model document (``[model: mechanism 3]``).
Every bracketed citation must resolve, and nothing may point outside the repository
(the steering documents a fresh clone does not have, or the issue tracker).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ..conftest import ROOT

DOCS = ROOT / "docs"
OUTSIDE = re.compile(r"TARGETS\.md|MODEL\.md|BRIEF\.md|REGION\.md|seed 00\d|issue #\d|\.\./shared")
CITATION = re.compile(r"\[([a-z][a-z0-9-]*)(?=[\]: ])([^\]]*)\]")
MECHANISMS = 8


def evidence_ids() -> set[str]:
    text = (DOCS / "evidence.md").read_text()
    return set(re.findall(r"^### ([a-z][a-z0-9-]*)\s*$", text, flags=re.M))


def known_ids() -> set[str]:
    return evidence_ids() | {"model"}


def yaml_files() -> list[Path]:
    return sorted([*(ROOT / "scenarios").rglob("*.yaml"), *(ROOT / "calibration").rglob("*.yaml")])


def source_texts(node, under_sources=False):
    """Every text below a ``sources:`` key, with its dotted place."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from ((f"{key}.{p}" if p else str(key), t)
                        for p, t in source_texts(value, under_sources or key == "sources"))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from ((f"[{i}].{p}" if p else f"[{i}]", t) for p, t in source_texts(value, under_sources))
    elif under_sources:
        yield "", node


def problems(text, ids: set[str]) -> list[str]:
    """What is wrong with one source text (an empty list when it is fine)."""
    if not isinstance(text, str) or not text.strip():
        return [f"{text!r}: a source must be a text"]
    found = []
    if OUTSIDE.search(text):
        found.append(f"{text!r}: points outside the repository ({OUTSIDE.search(text).group(0)})")
    cites = CITATION.findall(text)
    for key, rest in cites:
        if key not in ids:
            found.append(f"{text!r}: [{key}] is not an entry of docs/evidence.md")
        if key == "model":
            for n in re.findall(r"mechanisms? (\d+)", rest):
                if not 1 <= int(n) <= MECHANISMS:
                    found.append(f"{text!r}: docs/model.md has no mechanism {n}")
    if not text.lower().startswith("assumption") and not cites:
        found.append(f"{text!r}: neither 'assumption' nor a citation such as [landheim2020]")
    return found


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_source_resolves(path):
    ids = known_ids()
    data = yaml.safe_load(path.read_text()) or {}
    bad = [f"{place}: {p}" for place, text in source_texts(data) for p in problems(text, ids)]
    assert bad == []


def test_every_yaml_with_parameters_has_sources():
    lacking = [str(p.relative_to(ROOT)) for p in yaml_files()
               if not {"hydra", "experiment"} & set(p.parts) and "sources" not in (yaml.safe_load(p.read_text()) or {})
               and not p.name.startswith("_")]
    assert lacking == []


def test_docs_and_code_cite_nothing_outside():
    texts = [*DOCS.rglob("*.md"), *(ROOT / name for name in ("README.md", "CONTRIBUTING.md", "CHANGELOG.md")),
             *(ROOT / "sim").rglob("*.py")]
    bad = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in texts
           for m in [OUTSIDE.search(p.read_text())] if m]
    assert bad == []


def test_the_checker_refuses_what_it_should():
    ids = {"landheim2020", "model"}
    assert problems("[landheim2020]: admissions unchanged", ids) == []
    assert problems("assumption: why not", ids) == []
    assert problems("assumption: as in [model: mechanism 3]", ids) == []
    assert problems("TARGETS.md section 1", ids)                 # outside the repository
    assert problems("[nosuch2020]: a figure", ids)               # unknown id
    assert problems("a figure from somewhere", ids)              # neither
    assert problems("assumption ([model: mechanism 9])", ids)    # no such mechanism
    assert problems(3.0, ids)


def test_evidence_has_the_entries_the_model_relies_on():
    assert {"landheim2020", "nkrop2020", "burns2007", "rm2025", "dassos2025",
            "dk2015", "kl2021", "kl2022"} <= evidence_ids()
