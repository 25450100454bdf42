"""The generated configuration reference covers every key of the shipped YAML.

The keys are read here from the files on their own (YAML and Hydra's ``# @package``
rule), not through the generator, so a key the generator drops, or a file it skips,
fails the test. And every key the scenarios set must be one the parameter classes
document, so the reference's first part cannot fall behind the YAML either.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sim.config import reference

from ..conftest import ROOT

FOLDERS = ("scenarios", "calibration")


def leaves(node, prefix: str = ""):
    """Dotted keys of a YAML tree: a mapping goes one level down, anything else is a value."""
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from leaves(value, f"{prefix}.{key}" if prefix else str(key))
    elif prefix:
        yield prefix


def shipped() -> list[tuple[str, str]]:
    """(file, dotted key) for every key every shipped file sets, its sources apart."""
    found = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.yaml")):
            text = path.read_text()
            data = yaml.safe_load(text) or {}
            header = re.match(r"# @package (\S+)", text)
            if header:
                under = "" if header.group(1) == "_global_" else header.group(1)
            else:
                under = ".".join(path.relative_to(ROOT / folder).parts[:-1])
            name = str(path.relative_to(ROOT))
            found += [(name, f"{under}.{key}" if under else key)
                      for key in leaves({k: v for k, v in data.items() if k != "sources"})]
    return found


@pytest.fixture(scope="module")
def page() -> str:
    return reference.markdown()


def test_the_shipped_files_have_keys():
    keys = shipped()
    assert len({name for name, _ in keys}) == sum(1 for f in FOLDERS for _ in (ROOT / f).rglob("*.yaml"))
    assert ("scenarios/clinical/calibrated.yaml", "clinical.admission_prob.intensive") in keys
    assert ("calibration/targets/centre.yaml", "targets.centre.targets.bed_days.value") in keys


def test_every_shipped_key_is_in_the_generated_reference(page):
    """Under its file's heading, every key the file sets, as a row of the page."""
    sections = dict(re.findall(r"^### `([^`]+)`\n(.*?)(?=^### |\Z)", page, flags=re.M | re.S))
    missing = [f"{name}: {key}" for name, key in shipped()
               if f"| `{key}` |" not in sections.get(name, "")]
    assert missing == []


def test_every_scenario_key_is_documented_by_the_parameter_classes(page):
    """Each key the scenarios set (Hydra's own settings apart) matches a key of the classes."""
    keys = reference.schema()
    patterns = [reference.pattern(k.name) for k in keys]
    for section, members in reference.sections(keys).items():   # every class key is a row of the page
        heading = f"### `{section}`" if section else "### Run settings"
        body = page.split(heading + "\n", 1)[1].split("\n### ", 1)[0]
        assert all(f"| `{reference.relative(k.name, section)}` |" in body for k in members), section
    undocumented = []
    for name, key in shipped():
        if not name.startswith("scenarios/") or key.split(".")[0] == "hydra" or "defaults" in key.split("."):
            continue   # Hydra's own settings and defaults lists (which files compose), not parameters
        key = re.sub(r"^baseline\.", "organisation.", key)   # the comparator has the same keys
        if not any(p.match(key) for p in patterns):
            undocumented.append(f"{name}: {key}")
    assert undocumented == []


def test_the_checks_catch_a_key_left_out(page):
    """The same comparison fails for a page without one key's row, or with an unknown key."""
    key = "clinical.los_shape"
    trimmed = "\n".join(line for line in page.split("\n") if not line.startswith(f"| `{key}` |"))
    assert f"| `{key}` |" in page and f"| `{key}` |" not in trimmed
    patterns = [reference.pattern(k.name) for k in reference.schema()]
    assert any(p.match("organisation.teams.fact.staff.nurse.fte_per_100") for p in patterns)
    assert not any(p.match("clinical.no_such_key") for p in patterns)
    assert not any(p.match("organisation.teams.fact.no_such_key") for p in patterns)
    assert any(p.match("uncertainty.parameters.clinical.admission_prob.intensive.low") for p in patterns)


def test_a_field_comment_becomes_its_description(page):
    row = next(line for line in page.split("\n") if line.startswith("| `beds` |"))
    assert "null means unlimited beds" in row and "a number > 0" in row
    name = next(line for line in page.split("\n") if line.startswith("| `name` |"))
    assert "Silkeborg" in name or "assumption" in name   # the default run's source, not a cluster's


def test_the_reference_prints_from_the_command_line():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "sim.config.reference"], capture_output=True, text=True,
                          timeout=120, cwd=Path(ROOT))
    assert proc.returncode == 0 and proc.stdout.startswith("# Configuration reference"), proc.stderr
