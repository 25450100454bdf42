"""The documentation site builds with ``mkdocs build --strict``, and strict means strict.

The same build as ``make docs`` and ``.ci/run``: a broken link, a missing anchor or page,
or an API reference that does not resolve is a warning, and a warning fails it. A copy
of the docs with one broken link must fail, so the strictness itself is tested. The
README is the front door: it opens with the two commands, stays short, and its links
resolve in the repository.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT

MKDOCS = [sys.executable, "-m", "mkdocs", "build", "--strict"]
README = ROOT / "README.md"


def build(site: Path, *extra: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    return subprocess.run([*MKDOCS, "--site-dir", str(site), *extra], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env=env)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    proc = build(folder)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return folder


def test_the_site_has_every_page(site):
    for page in ("index.html", "getting-started/index.html", "leaders/index.html", "planners/index.html",
                 "researchers/index.html", "modellers/index.html", "model/index.html", "evidence/index.html",
                 "performance/index.html", "reference/configuration/index.html", "reference/commands/index.html",
                 "reference/outputs/index.html", "reference/api/index.html", "contributing/index.html",
                 "changelog/index.html"):
        assert (site / page).is_file(), page


def test_generated_and_included_pages_have_their_content(site):
    config = (site / "reference" / "configuration" / "index.html").read_text()
    assert "clinical.los_shape" in config and "calibration/targets/burns2007.yaml" in config
    api = (site / "reference" / "api" / "index.html").read_text()
    assert "run_study" in api and "Scenario" in api
    assert "Walkthrough" in (site / "contributing" / "index.html").read_text()
    assert "Unreleased" in (site / "changelog" / "index.html").read_text()


def test_a_broken_link_fails_the_build(tmp_path):
    """The project's own mkdocs.yml over a copy of docs/ with one link to a page that is not there."""
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    with (tmp_path / "docs" / "getting-started.md").open("a") as page:
        page.write("\nSee [the missing page](no-such-page.md).\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {tmp_path / 'docs'}\n")
    proc = build(tmp_path / "site", "--config-file", str(config))
    assert proc.returncode != 0
    assert "no-such-page.md" in proc.stderr + proc.stdout


def test_the_readme_opens_with_the_two_commands_and_stays_short():
    text = README.read_text()
    assert len(text.splitlines()) <= 250
    first = re.search(r"```sh\n(.*?)```", text, flags=re.S)
    assert first is not None and text.index("```sh") < text.index("\n## ")
    commands = [line.split("#")[0].strip() for line in first.group(1).splitlines()]
    assert commands == ["make run", "make test"]


def test_the_readme_shows_the_report_and_links_only_to_what_exists():
    text = README.read_text()
    assert "![" in text and "docs/img/report_first_screen_da.png" in text
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    local = [link for link in links if not re.match(r"[a-z]+://", link)]
    assert len(local) >= 10
    assert [link for link in local if not (ROOT / link).exists()] == []


def test_make_docs_builds_strictly():
    """``make docs`` and ``.ci/run`` run the strict build (mkdocs.yml also says strict)."""
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^docs: .*\n\t.*mkdocs build --strict", makefile, flags=re.M)
    assert "make docs" in (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^strict: true$", (ROOT / "mkdocs.yml").read_text(), flags=re.M)
