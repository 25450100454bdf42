"""The workshop page's own logic in Streamlit's test harness (no browser): presets, the
English switch, saving and comparing scenarios, the catchment's table."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from sim.apps.workshop import views

PAGE = "sim/apps/workshop/page.py"


@pytest.fixture
def page(tmp_path, monkeypatch):
    from ..conftest import ROOT
    monkeypatch.chdir(tmp_path)   # the page's outputs/ go here
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=180)
    at.run()
    assert not at.exception
    return at


def _run(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Kør").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    return at


def test_the_page_is_danish_and_switches_to_english(page):
    assert page.title[0].value.startswith("Workshop: hvad gør organiseringen")
    page.radio(key="lang").set_value("en").run()
    assert page.title[0].value.startswith("Workshop: what does the organisation")
    assert any(n.label.startswith("Citizens per case manager") for n in page.text_input)


def lever(page, name: str):
    return next(n for n in page.text_input if n.label.startswith(name))


def preset(page, group: str, point) -> None:
    """Choose a preset by its question and the point whose label ``point`` accepts."""
    page.selectbox(key="preset_group").set_value(group).run()
    picker = page.selectbox(key=f"preset_i_{group}")
    picker.set_value(next(i for i, label in enumerate(picker.options) if point(label))).run()
    next(b for b in page.button if b.label == "Brug").click().run()


def test_presets_are_grouped_by_their_question_in_plain_danish(page):
    groups = page.selectbox(key="preset_group").options
    assert "Bemanding: hvor mange borgere pr. behandler, hvor stor en kommunal andel?" in groups
    assert not any("_" in g for g in groups)   # no file names
    page.selectbox(key="preset_group").set_value("staffing").run()
    points = page.selectbox(key="preset_i_staffing").options
    assert len(points) == 18 and all(p[:1].isupper() and "_" not in p and not re.search(r"\w\.\w", p)
                                     for p in points)   # no keys of the configuration


def test_a_preset_sets_the_catchment_layout_and_levers(page):
    preset(page, "horsens_layouts", lambda label: "to teams i Horsens-klyngen" in label)
    values = {s.label: s.value for s in page.selectbox}
    assert values["Optageområde"] == "horsens_klyngen" and values["Teamenes placering"] == "horsens_two_teams"
    preset(page, "staffing", lambda label: label.startswith("Borgere pr. behandler: 35"))
    assert lever(page, "Borgere pr. behandler").value == "35"


def test_a_catchment_is_offered_only_the_layouts_that_fit_it_and_never_the_same_organisation_twice(page):
    layouts = next(s for s in page.selectbox if s.label == "Teamenes placering")
    assert "horsens_two_teams" not in layouts.options and "midtjylland_hubs" not in layouts.options
    baseline = next(s for s in page.selectbox if s.label == "Sammenlign med").value
    organisation = next(s for s in page.selectbox if s.label == "Organisering")
    assert baseline not in organisation.options


def test_four_scenarios_are_saved_and_compared_side_by_side(page):
    page.selectbox(key="uncertainty").set_value("none").run()
    page.number_input(key="replications_none").set_value(2).run()
    for days in ("0", "1"):
        lever(page, "Tid trukket tilbage").set_value(days)
        _run(page)
        next(b for b in page.button if b.label == "Gem scenariet").click().run()
    compared = page.dataframe[-1].value
    assert list(compared.columns) == ["Udfald", "1", "2"] and len(compared) == 1 + len(views.SIDE_BY_SIDE)
    assert compared["1"].iloc[1] != compared["2"].iloc[1]   # bed days change with time pulled back
    assert "Tid trukket tilbage til moderorganisationen: 1 dage om ugen" in compared["2"].iloc[0]   # in words
    for _ in range(2):
        next(b for b in page.button if b.label == "Gem scenariet").click().run()
    assert next(b for b in page.button if b.label == "Gem scenariet").disabled
    next(b for b in page.button if b.label == "Fjern: 1").click().run()
    assert list(page.dataframe[-1].value.columns) == ["Udfald", "2", "3", "4"]


def test_a_figure_edited_in_the_catchments_table_is_an_override():
    table = pd.DataFrame({"municipality": ["odder", "horsens"], "residents": [21800, 84871],
                          "target_per_1000_adults": [3.3, 3.3]})
    edited = table.assign(residents=[30000.0, 84871], target_per_1000_adults=[3.3, None])
    assert views.edits(table, edited) == ["++population.municipalities.odder.residents=30000"]
    edited = table.assign(target_per_1000_adults=[4.0, 3.3])
    assert views.edits(table, edited) == ["++population.municipalities.odder.target_per_1000_adults=4.0"]
