"""Releases: the version lives in pyproject.toml, and what is released says so.

``factsim --version`` and ``sim.__version__`` read the installed package's metadata, so
they follow pyproject.toml by construction; CHANGELOG.md (Keep a Changelog) and
CITATION.cff are written by hand at a release and are checked against it here.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import yaml

from ..conftest import ROOT

KINDS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$")


def version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def releases(text: str) -> list[tuple[str, str]]:
    """(version, date) of every released section, newest first as written."""
    return [m.groups() for line in text.splitlines() if (m := RELEASE.match(line))]


def problems(text: str, current: str) -> list[str]:
    """What is wrong with a changelog for the version ``current`` (empty when it is fine)."""
    found = []
    sections = [line for line in text.splitlines() if line.startswith("## ")]
    if not sections or sections[0] != "## [Unreleased]":
        found.append("the first section must be '## [Unreleased]'")
    found += [f"{s!r}: not '## [x.y.z] - yyyy-mm-dd'" for s in sections[1:] if not RELEASE.match(s)]
    done = releases(text)
    if not done or done[0][0] != current:
        found.append(f"the newest release must be {current} (pyproject.toml)")
    as_tuples = [tuple(int(p) for p in v.split(".")) for v, _ in done]
    if as_tuples != sorted(as_tuples, reverse=True) or [d for _, d in done] != sorted((d for _, d in done),
                                                                                        reverse=True):
        found.append("releases must run from newest to oldest")
    found += [f"{k!r}: not a Keep-a-Changelog kind" for k in re.findall(r"^### (.+)$", text, flags=re.M)
              if k not in KINDS]
    return found


def test_the_changelog_is_keep_a_changelog_with_the_current_release():
    assert problems((ROOT / "CHANGELOG.md").read_text(), version()) == []


def test_the_checker_refuses_what_it_should():
    good = "# Changelog\n\n## [Unreleased]\n\n## [0.3.0] - 2026-12-05\n### Added\n- x\n\n## [0.2.0] - 2026-11-22\n"
    assert problems(good, "0.3.0") == []
    assert problems(good, "0.4.0")                                     # pyproject moved on alone
    assert problems(good.replace("## [Unreleased]\n\n", ""), "0.3.0")  # no Unreleased section
    assert problems(good.replace("### Added", "### Faster"), "0.3.0")  # not a kind
    assert problems(good.replace("2026-11-22", "2026-12-24"), "0.3.0")  # dates out of order
    assert problems(good.replace("[0.3.0] - 2026-12-05", "[0.3.0]"), "0.3.0")


def test_the_citation_names_the_current_release():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    dates = dict(releases((ROOT / "CHANGELOG.md").read_text()))
    assert str(cff["version"]) == version() and str(cff["date-released"]) == dates[version()]


def test_factsim_version_prints_the_version_of_pyproject():
    """factsim's own --version (Hydra's would print Hydra's), wherever it stands on the line."""
    for args in (["--version"], ["seed=3", "--version"]):
        proc = subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                              timeout=120, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == f"factsim {version()}"
    from sim import __version__
    assert __version__ == version()
