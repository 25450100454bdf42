"""The shell blocks of the README, CONTRIBUTING.md and the docs run as written.

Every ```sh block runs, line by line, in a fresh folder with the project's own tools
(``.venv/bin/...`` is taken from the Python running the tests), each line within a minute
and with exit status 0, unless an HTML comment on the line just before the block says
otherwise:

- ``<!-- not run: the reason -->``: the block is not run (it starts a server, installs,
  or runs for minutes); the reason is required;
- ``<!-- expect exit 2 -->``: every line of the block must fail with that status, in one
  line of error (factsim's rule for bad input).
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import ROOT

DOCUMENTS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```(sh|bash|shell|console)\s*$")
MARKER = re.compile(r"^<!--\s*(?:not run:\s*(?P<reason>.*?)|expect exit (?P<status>\d+))\s*-->$")
TOOLS = ".venv/bin/"
SECONDS = 60   # "runs in under a minute"


@dataclass(frozen=True)
class Block:
    """One shell block of a document."""
    where: str                 # path:line of its fence
    lines: tuple[str, ...]     # its commands, continuations joined, comments dropped
    reason: str | None         # why it is not run (None: it is run)
    status: int                # the exit status every line must end with


def blocks(text: str, name: str) -> list[Block]:
    """The shell blocks of a Markdown text, with what the comment before each says."""
    found = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if FENCE.match(lines[i]):
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            marker = MARKER.match(lines[i - 1].strip()) if i else None
            reason = marker.group("reason") if marker and marker.group("status") is None else None
            status = int(marker.group("status")) if marker and marker.group("status") else 0
            body = "\n".join(lines[i + 1:end]).replace("\\\n", " ")
            commands = tuple(line.strip() for line in body.split("\n")
                             if line.strip() and not line.strip().startswith("#"))
            found.append(Block(f"{name}:{i + 1}", commands, reason, status))
            i = end
        i += 1
    return found


def all_blocks() -> list[Block]:
    return [b for path in DOCUMENTS for b in blocks(path.read_text(), str(path.relative_to(ROOT)))]


def argv(line: str, tools: Path) -> list[str]:
    """A block's line as the argument list to run: ``.venv/bin/x`` is this environment's ``x``."""
    words = shlex.split(line, comments=True)
    if not words[0].startswith(TOOLS):
        raise ValueError(f"{line!r}: only the project's tools ({TOOLS}...) run here; "
                         "mark the block <!-- not run: why -->")
    return [str(tools / words[0][len(TOOLS):]), *words[1:]]


def test_every_block_is_run_or_says_why_not():
    """A block that is not run gives its reason; every other block only uses the project's tools."""
    tools = Path(sys.executable).parent
    problems = []
    for block in all_blocks():
        if block.reason is not None:
            if not block.reason.strip():
                problems.append(f"{block.where}: 'not run' needs a reason")
            continue
        for line in block.lines:
            try:
                argv(line, tools)
            except ValueError as err:
                problems.append(f"{block.where}: {err}")
    assert problems == []


def test_the_readme_runs_something():
    """The README's front door is not all marked away: its examples run."""
    run = [b for b in blocks((ROOT / "README.md").read_text(), "README.md") if b.reason is None]
    assert len(run) >= 3


def test_the_rules_read_the_markers():
    text = ("<!-- not run: it serves forever -->\n```sh\nmake workshop\n```\n\n"
            "```sh\n.venv/bin/factsim --version   # a comment\n# a line of comment\n```\n\n"
            "<!-- expect exit 2 -->\n```sh\n.venv/bin/factsim \\\n  replications=0\n```\n"
            "<!-- not run: -->\n```sh\nmake test\n```\n```yaml\nnot: a shell block\n```\n")
    served, version, bad, unexplained = blocks(text, "x.md")
    assert served.reason == "it serves forever" and served.lines == ("make workshop",)
    assert version.reason is None and version.status == 0
    assert argv(version.lines[0], Path("/env/bin")) == ["/env/bin/factsim", "--version"]
    assert bad.status == 2 and bad.lines == (".venv/bin/factsim    replications=0",)
    assert unexplained.reason == ""
    with pytest.raises(ValueError, match="not run"):
        argv("make run", Path("/env/bin"))


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


@pytest.mark.parametrize("block", [b for b in all_blocks() if b.reason is None], ids=lambda b: b.where)
def test_a_block_runs_as_written(block, tmp_path):
    tools = Path(sys.executable).parent
    for line in block.lines:
        proc = subprocess.run(argv(line, tools), cwd=tmp_path, capture_output=True, text=True,
                              timeout=SECONDS, env=_env())
        assert proc.returncode == block.status, f"{line}\n{proc.stderr[-2000:]}"
        if block.status:
            assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
