"""The translation table: every word a leader sees exists in every language, with the
same blanks to fill; numbers are written as the language writes them."""
from __future__ import annotations

import math
import string

import pytest

from sim.output import numbers
from sim.output.words import LANGUAGES, METRICS, TEXT, noun, unit


def blanks(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_exists_in_every_language_with_the_same_blanks():
    assert set(TEXT) == set(LANGUAGES)
    keys = set(TEXT["da"])
    for lang in LANGUAGES:
        assert set(TEXT[lang]) == keys, lang
        for key in keys:
            assert TEXT[lang][key].strip(), (lang, key)
            assert blanks(TEXT[lang][key]) == blanks(TEXT["da"][key]), (lang, key)


def test_every_metric_has_a_noun_and_a_unit_in_every_language():
    for metric in METRICS:
        for lang in LANGUAGES:
            assert noun(metric, lang).strip() and unit(metric, lang).strip()
        assert noun(metric, "da") != noun(metric, "en"), metric


@pytest.mark.parametrize("lang, value, decimals, text", [
    ("da", 2688.55, 2, "2.688,55"), ("en", 2688.55, 2, "2,688.55"),
    ("da", -121.834, 1, "-121,8"), ("en", 0.5, 0, "0"), ("da", 1234567, 0, "1.234.567")])
def test_numbers_in_each_language(lang, value, decimals, text):
    assert numbers.number(value, lang, decimals) == text


def test_signed_numbers_and_missing_values_in_words():
    assert numbers.number(3, "da", 0, signed=True) == "+3"
    assert numbers.number(-3, "da", 0, signed=True) == "-3"
    assert numbers.number(math.nan, "da") == "ikke tilgængelig"
    assert numbers.number(None, "en") == "not available"


def test_an_interval_is_written_with_a_word_not_a_dash():
    assert numbers.interval(-12.5, -121.83, 411.83, "en") == "-12 (-122 to 412)"
    assert numbers.interval(18.561, 17.2, 19.9, "da") == "18,6 (17,2 til 19,9)"
    assert numbers.interval(0.7, 0.61, 0.83, "da") == "0,70 (0,61 til 0,83)"
    assert numbers.interval(0.7, math.nan, math.nan, "da") == "0,70 (intet interval: ét gennemløb)"
    assert numbers.interval(math.nan, math.nan, math.nan, "en") == "not available"


def test_every_shipped_team_and_organisation_has_a_danish_name():
    from ..conftest import SCENARIOS, scenario
    for path in sorted((SCENARIOS / "organisation").glob("*.yaml")):
        sc = scenario(f"organisation={path.stem}", "~organisation@baseline")
        org = sc.organisation
        assert org.label_da and org.label_da != org.label, path.stem
        for team in org.teams.values():
            assert team.label_da and team.name("da") != team.name("en"), (path.stem, team.label)


def test_a_duration_has_decimals_only_when_it_needs_them():
    assert numbers.duration(5, "da") == "5" and numbers.duration(0.5, "da") == "0,5"
    assert numbers.duration(24.0, "en") == "24"


def test_a_change_in_percent_is_signed_whole_and_says_when_it_has_no_interval():
    assert numbers.change(-28.4, -33.2, -23.6, "da") == "-28 % (-33 til -24)"
    assert numbers.change(3.4, -1.2, 8.0, "en") == "+3 % (-1 to +8)"
    assert numbers.change(3.4, float("nan"), float("nan"), "da") == "+3 % (intet interval: ét gennemløb)"
    assert numbers.change(float("nan"), 1.0, 2.0, "da") == "ikke tilgængelig"
