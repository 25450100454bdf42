"""The workshop page's own logic in Streamlit's test harness (no browser): presets, the
English switch, saving and comparing scenarios, the catchment's table."""
from __future__ import annotations

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
    assert any(n.label.startswith("Citizens per case manager") for n in page.number_input)


def test_a_preset_sets_the_catchment_layout_and_levers(page):
    picker = page.selectbox(key="preset_i")
    index = next(i for i, label in enumerate(picker.options) if "to teams i Horsens-klyngen" in label)
    picker.set_value(index).run()
    next(b for b in page.button if b.label == "Brug").click().run()
    values = {s.label: s.value for s in page.selectbox}
    assert values["Optageområde"] == "horsens_klyngen" and values["Teamenes placering"] == "horsens_two_teams"
    staffing = next(i for i, label in enumerate(picker.options) if label.startswith("staffing") and ": 35" in label)
    page.selectbox(key="preset_i").set_value(staffing).run()
    next(b for b in page.button if b.label == "Brug").click().run()
    caseload = next(n for n in page.number_input if n.label.startswith("Borgere pr. behandler"))
    assert caseload.value == 35


def test_four_scenarios_are_saved_and_compared_side_by_side(page):
    page.number_input(key="replications").set_value(2).run()
    for days in (0.0, 1.0):
        lever = next(n for n in page.number_input if n.label.startswith("Tid trukket tilbage"))
        lever.set_value(days)
        _run(page)
        next(b for b in page.button if b.label == "Gem scenariet").click().run()
    compared = page.dataframe[-1].value
    assert list(compared.columns) == ["Udfald", "1", "2"] and len(compared) == len(views.SIDE_BY_SIDE)
    assert compared["1"].iloc[0] != compared["2"].iloc[0]   # bed days change with time pulled back
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
