"""Hostile uploads through the page's upload path (sim.apps.workshop.uploads, which the
page's sidebar calls with the uploaded bytes and name): each is refused quickly in one
Danish (and English) sentence naming what is wrong, with no traceback, no path of the
server, and nothing of a planted secret file or of the environment in any output."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from sim.apps.workshop import limits, runs, uploads, views
from sim.apps.workshop.limits import Refusal
from sim.apps.workshop.words import APP
from sim.config import paths

SILKEBORG = (paths.SCENARIOS / "population" / "silkeborg.yaml").read_text()
SECRET = "s3cr3t-token-that-must-never-show"
SMALL = ["plots=false", "warmup_years=0.25", "results_years=1"]


def _bomb() -> str:
    """A 'billion laughs' document: 7 levels of 10 aliases each, 10^7 leaves from a few hundred bytes."""
    lines = ["a: &a [" + ",".join(["lol"] * 10) + "]"]
    for i in range(1, 7):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def hostile(secret_file: Path) -> dict[str, tuple[bytes, str, str]]:
    """name -> (bytes, file name, a word the Danish sentence must hold)."""
    return {
        "anchors": (_bomb().encode(), "bomb.yaml", "ankre"),
        "deep": (("a: " + "[" * 1000 + "]" * 1000 + "\n").encode(), "deep.yaml", "niveauer"),
        "deep_block": ("".join(" " * i + f"k{i}:\n" for i in range(40)).encode() + b" " * 40 + b"x: 1\n",
                       "deep2.yaml", "niveauer"),
        "environment": (SILKEBORG.replace("name: Silkeborg", 'name: "${oc.env:HOME}|${oc.env:FACTSIM_SECRET}"')
                        .encode(), "env.yaml", "name indeholder '${'"),
        "secret_file": (SILKEBORG.replace("name: Silkeborg", "name: ${population.sources.leak.token}").encode(),
                        "leak.yaml", "indeholder '${'"),
        "defaults": (f"defaults:\n  - /..{secret_file.parent}/{secret_file.stem}@sources.leak\n  - _self_\n"
                     f"{SILKEBORG}".encode(), "defaults.yaml", "defaults:-liste"),
        "package": (f"# @package _global_\n{SILKEBORG}".encode(), "package.yaml", "@package"),
        "outside": (f"defaults:\n  - ../../../../{secret_file.stem}\n{SILKEBORG}".encode(),
                    "../../../etc/evil.yaml", "defaults:-liste"),
        "random": (os.urandom(2048) + b"\xff\xfe", "random.yaml", "UTF-8"),
        "latin1": (SILKEBORG.replace("Silkeborg", "Århus").encode("latin-1"), "latin.yaml", "UTF-8"),
        "huge_number": (SILKEBORG.replace("beds: 16", "beds: " + "9" * 5000).encode(), "num.yaml", "Tallet"),
        "oversized": (b"a: 1\n" * (50 * 1024 * 1024 // 5), "big.yaml", "fylder"),
        "python_tag": (b"name: !!python/object/apply:os.system ['echo hi']\n", "tag.yaml", "YAML-mærke"),
        "not_a_catchment": (b"- a\n- b\n", "list.yaml", "ikke et optageområde"),
        "invalid": (SILKEBORG.replace("beds: 16", "beds: -3").encode(), "invalid.yaml", "population.beds"),
    }


@pytest.fixture
def secret(tmp_path, monkeypatch):
    """A secret file beside the outputs and a secret in the environment, as an attacker hopes to read."""
    path = tmp_path / "secrets" / "leak.yaml"
    path.parent.mkdir()
    path.write_text(f"token: {SECRET}\n")
    monkeypatch.setenv("FACTSIM_SECRET", SECRET)
    return path


@pytest.mark.parametrize("case", ["anchors", "deep", "deep_block", "environment", "secret_file", "defaults",
                                  "package", "outside", "random", "latin1", "huge_number", "oversized",
                                  "python_tag", "not_a_catchment", "invalid"])
def test_a_hostile_upload_is_refused_in_one_sentence_quickly(case, secret, tmp_path):
    data, name, word = hostile(secret)[case]
    outputs = tmp_path / "outputs"
    started = time.perf_counter()
    with pytest.raises(Refusal) as refused:
        uploads.accept(data, name, outputs)
    seconds = time.perf_counter() - started
    assert seconds < 3, f"{case}: refused in {seconds:.1f} s"
    da, en = refused.value.sentence(APP["da"]), refused.value.sentence(APP["en"])
    assert word in da, da
    for text in (da, en):
        assert "\n" not in text and "Traceback" not in text and len(text) < 400
        assert SECRET not in text and os.environ["HOME"] not in text and str(tmp_path) not in text
    # nothing was kept, and nothing anywhere holds the secret
    assert not outputs.exists() or not any(p.is_file() for p in outputs.rglob("*"))
    assert not (tmp_path.parent / "etc").exists()


def test_a_refusal_names_no_path_of_the_server(secret, tmp_path):
    """A message of the command line naming a file is shown without the path."""
    from sim.apps.workshop.public import public
    text = public(f"Could not find 'population/x' in file://{tmp_path}/a and {secret}: no such file")
    assert str(tmp_path) not in text and "population/x" in text


def test_an_upload_with_a_shipped_name_is_the_uploaded_catchment(tmp_path):
    """An upload named silkeborg.yaml is its own choice, not hidden by the shipped file."""
    text = SILKEBORG.replace("name: Silkeborg", "name: Min Silkeborg").replace("adults: 74000", "adults: 50000")
    accepted = uploads.accept(text.encode(), "silkeborg.yaml", tmp_path)
    assert accepted.choice == "upload_silkeborg" and accepted.folder.is_relative_to(tmp_path.resolve())
    shipped = {p.stem for p in (paths.SCENARIOS / "population").glob("*.yaml")}
    assert not any(name.startswith(uploads.PREFIX) for name in shipped)
    checked = runs.check(runs.Request(population=accepted.choice, config_dir=accepted.folder,
                                      replications=2, overrides=list(SMALL)), tmp_path)
    assert checked.scenario.population.name == "Min Silkeborg"
    assert checked.scenario.population.municipalities["silkeborg"].adults == 50000


def test_the_kept_copy_is_the_pages_own_and_stays_in_the_namespace(tmp_path):
    """The page writes the values as YAML writes them (a comment or a trick of the bytes is
    not kept), inside uploads/, whatever the upload's name."""
    text = "# a comment the page does not keep\n" + SILKEBORG
    accepted = uploads.accept(text.encode(), "../../../../tmp/Evil Name.yaml", tmp_path)
    kept = list(tmp_path.rglob("*.yaml"))
    assert kept == [accepted.folder / "population" / "upload_evil_name.yaml"]
    assert kept[0].is_relative_to(tmp_path.resolve() / "uploads")
    assert "a comment" not in kept[0].read_text()


@pytest.mark.parametrize("edit, words", [
    (("adults", 3_703_703_704), ["10.000.000 borgere", "højst 30.000"]),
    (("travel_minutes_local", 1e300), ["travel_minutes_local", "over serverens grænse på 480"]),  # 1.0e+300
])
def test_the_caps_refuse_before_a_run_by_upload_and_by_the_catchment_editor(edit, words, tmp_path):
    field, value = edit
    # by upload
    text = SILKEBORG.replace({"adults": "adults: 74000", "travel_minutes_local": "travel_minutes_local: 40"}[field],
                             f"{field}: 1.0e+300" if isinstance(value, float) else f"{field}: {value}")
    with pytest.raises(Refusal) as refused:
        uploads.accept(text.encode(), "big.yaml", tmp_path)
    for word in words:
        assert word in refused.value.sentence(APP["da"])
    # by the catchment editor: the edited table's overrides, checked before a run
    import pandas as pd
    table = pd.DataFrame({"municipality": ["silkeborg"], "adults": [74000], "target_per_1000_adults": [2.7],
                          "travel_minutes_local": [40.0], "travel_minutes_cluster": [40.0]})
    edited = table.copy()
    edited[field] = [value]
    with pytest.raises(Refusal) as refused:
        runs.check(runs.Request(replications=2, overrides=[*SMALL, *views.edits(table, edited)]), tmp_path)
    for word in words:
        assert word in refused.value.sentence(APP["da"])
    assert not any(tmp_path.glob("*/manifest.json"))


def test_an_exit_rate_of_1e300_is_refused_before_a_run_by_upload_and_by_an_override(tmp_path):
    text = SILKEBORG.replace("exit_rate_per_year: 0.07", "exit_rate_per_year: 1.0e+300")
    with pytest.raises(Refusal) as refused:
        uploads.accept(text.encode(), "exit.yaml", tmp_path)
    assert "population.exit_rate_per_year = 1e+300 er over serverens grænse på 3" in refused.value.sentence(APP["da"])
    with pytest.raises(Refusal) as refused:
        runs.check(runs.Request(replications=2, overrides=[*SMALL, "population.exit_rate_per_year=1e300"]), tmp_path)
    assert refused.value.word == "limit_max"


def test_the_work_of_a_run_is_capped(tmp_path):
    """Citizens x years x replications x organisations: Midtjylland's 4,000 citizens x 6
    years x 2 organisations at 200 replications is 9.6 million citizen-years."""
    with pytest.raises(Refusal) as refused:
        runs.check(runs.Request(population="midtjylland", replications=200, overrides=["plots=false"]), tmp_path)
    assert refused.value.word == "limit_work" and "borger-år" in refused.value.sentence(APP["da"])


def test_every_shipped_catchment_and_preset_is_within_the_limits():
    from sim.apps.workshop import presets
    for name in (p.stem for p in (paths.SCENARIOS / "population").glob("*.yaml")):
        runs.check(runs.Request(population=name, replications=10, overrides=["plots=false"]))
    for preset in presets.presets()[::6]:
        runs.check(runs.Request(replications=10, overrides=["plots=false", *preset.overrides],
                                **{k.replace("@baseline", "_baseline"): v for k, v in preset.choices.items()
                                   if k in ("population", "organisation", "layout")}))


def test_every_limit_has_a_reason(tmp_path):
    bad = tmp_path / "limits.yaml"
    bad.write_text(limits.LIMITS.read_text().replace("    max_depth: \"assumption", "    other: \"assumption"))
    from sim.config.errors import ConfigError
    with pytest.raises(ConfigError, match="upload.max_depth: no reason"):
        limits.limits(str(bad))
