"""The workshop's levers, runs, presets and views without a browser (sim.apps.workshop)."""
from __future__ import annotations

import io
import re
import zipfile

import pandas as pd
import pytest

from sim.apps.workshop import downloads, levers, pathways, presets, runs, uploads, views
from sim.apps.workshop.words import APP
from sim.config.errors import ConfigError

SMALL = ["plots=false", "warmup_years=0.25", "results_years=1"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    return tmp_path_factory.mktemp("workshop")


@pytest.fixture(scope="module")
def default(outputs):
    checked = runs.check(runs.Request(replications=3, overrides=list(SMALL)), outputs)
    return checked, runs.run(checked)


def test_both_languages_have_the_same_words():
    assert set(APP["da"]) == set(APP["en"])
    for lever in levers.LEVERS.values():
        assert set(lever.words) == {"da", "en"} and all(len(w) == 4 and all(w) for w in lever.words.values())


def test_the_levers_start_at_the_yaml_and_an_untouched_page_is_the_command_lines_run(default):
    checked, _ = default
    settings = {s.lever.key: s for s in levers.settings(checked.scenario)}
    assert set(settings) == {"caseload", "municipal_share", "pulled_back", "board_share", "beds",
                             "driving_minutes", "discharge_planning", "shared_information"}
    # cross-sectoral FACT: 3.4 + 4.0 case managers per 100 citizens
    assert settings["caseload"].value == pytest.approx(100 / 7.4)
    assert settings["municipal_share"].value == pytest.approx(100 * 4.0 / 7.4)
    assert settings["pulled_back"].value == pytest.approx(0.5)        # 10 % of a five-day week
    assert settings["beds"].value == 16 and settings["board_share"].value == pytest.approx(30)
    shown = {k: round(s.value, s.lever.decimals) for k, s in settings.items()}   # as the page shows them
    assert levers.moved(list(settings.values()), shown) == []


def test_a_moved_lever_is_an_override_in_the_configurations_units(default):
    checked, _ = default
    settings = levers.settings(checked.scenario)
    shown = {"caseload": 25.0, "pulled_back": 1.0, "municipal_share": 75.0, "beds": 20.0}
    moved = levers.moved(settings, shown)
    assert "++organisation.teams.fact.caseload=25.0" in moved
    assert "++organisation.teams.fact.municipal_share=0.75" in moved
    assert {"++organisation.teams.fact.pulled_back_share.regional=0.2",
            "++organisation.teams.fact.pulled_back_share.municipal=0.2"} <= set(moved)
    assert "++population.beds=20" in moved
    sc = runs.check(runs.Request(overrides=[*SMALL, *moved])).scenario
    fact = sc.organisation.teams["fact"]
    assert fact.caseload == 25.0 and fact.pulled_back_share == {"regional": 0.2, "municipal": 0.2}
    assert sc.population.beds == 20


@pytest.mark.parametrize("lever, value, words", [
    ("municipal_share", 150.0, ["Kommunal andel af behandlerne", "150 %", "0 til 100 %"]),
    ("caseload", -5.0, ["Borgere pr. behandler", "-5", "1 til 100 borgere pr. årsværk"]),
    ("pulled_back", 5.0, ["Tid trukket tilbage", "0 til 4,5 dage om ugen"]),
    ("beds", 0.0, ["Psykiatriske senge", "et helt tal fra 1 til 5.000"]),
    ("shared_information", 101.0, ["Delt information", "0 til 100 %"]),
])
def test_an_impossible_value_is_refused_by_the_command_lines_check_naming_the_lever(default, lever, value,
                                                                                     words, outputs):
    checked, _ = default
    settings = levers.settings(checked.scenario)
    shown = {lever: value}
    request = runs.Request(overrides=[*SMALL, *levers.moved(settings, shown)])
    with pytest.raises(ConfigError) as err:
        runs.check(request, outputs)
    text = levers.refusal(str(err.value), settings, shown, "da", APP["da"])
    for word in words:
        assert word in text, text
    assert "Intet er kørt" in text


@pytest.mark.parametrize("lang, text, value", [
    ("da", "20,5", 20.5), ("da", "1.000", 1000.0), ("da", " 13 ", 13.0), ("en", "20.5", 20.5), ("en", "1,000", 1000.0),
])
def test_a_lever_reads_numbers_as_the_leaders_language_writes_them(lang, text, value):
    lever = levers.LEVERS["beds"] if value >= 1000 else levers.LEVERS["caseload"]
    assert levers.parse(text, lever, lang, APP[lang]) == (value, None)


@pytest.mark.parametrize("text, words", [
    ("20.5", ["Borgere pr. behandler", "»20.5«", "mente du 20,5?", "Intet er kørt"]),
    ("tyve", ["Borgere pr. behandler", "»tyve« er ikke et tal"]),
    ("150", ["Borgere pr. behandler", "1 til 100 borgere pr. årsværk", "Intet er kørt"]),
    ("", ["Borgere pr. behandler", "feltet er tomt"]),
])
def test_a_lever_refuses_in_danish_what_it_cannot_read_or_allow(text, words):
    value, problem = levers.parse(text, levers.LEVERS["caseload"], "da", APP["da"])
    assert value is None and all(w in problem for w in words), problem


def test_a_lever_shows_its_value_as_the_language_writes_it():
    assert levers.shown_text(13.513, levers.LEVERS["caseload"], "da") == "13,5"
    assert levers.shown_text(13.513, levers.LEVERS["caseload"], "en") == "13.5"
    assert levers.shown_text(1600, levers.LEVERS["beds"], "da") == "1.600"
    assert levers.shown_text(None, levers.LEVERS["beds"], "da") == ""


def test_a_run_is_an_ordinary_run_folder_and_a_repeated_configuration_is_served(default, outputs):
    checked, first = default
    assert not first.served and first.folder.parent == outputs
    from sim.output.run_folder import is_complete
    assert is_complete(first.folder)
    again = runs.run(runs.check(runs.Request(replications=3, overrides=list(SMALL)), outputs))
    assert again.served and again.folder == first.folder
    other = runs.check(runs.Request(replications=3, overrides=[*SMALL, "++population.beds=20"]), outputs)
    assert other.folder != first.folder


def test_progress_is_reported_for_every_replication(outputs):
    seen = []
    checked = runs.check(runs.Request(replications=3, seed=5, overrides=list(SMALL)), outputs)
    runs.run(checked, lambda done, total: seen.append((done, total)))
    # (-1, -1) is a heartbeat while a replication runs (the page may stop the run there)
    assert [s for s in seen if s != (-1, -1)] == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_the_downloads_are_the_leaders_tables_under_a_readable_name(default):
    _, outcome = default
    archive = zipfile.ZipFile(io.BytesIO(downloads.csv_zip(outcome.folder)))
    assert {"Hovedtal.csv", "Tal pr. organisering.csv", "Hvem betaler.csv"} <= set(archive.namelist())
    key = pd.read_csv(archive.open("Hovedtal.csv"), sep=";", decimal=",")
    comparison = pd.read_parquet(outcome.folder / "comparison.parquet").set_index("metric")
    bed = key.set_index("Udfald").loc["sengedage"]
    assert bed["Ændring i %"] == pytest.approx(comparison.at["bed_days_per_citizen_year", "change_pct"])
    sheets = pd.read_excel(io.BytesIO(downloads.excel(outcome.folder)), sheet_name=None)
    assert {"Hovedtal", "Hvem betaler", "Antagelser"} <= set(sheets)
    assert downloads.file_stem(outcome.folder) == "Silkeborg_Tværsektorielt-FACT-team_mod_Fragmenteret-indsats"
    report = runs.report(outcome.folder)
    assert report.name == "report_da.html" and "Hovedtal" in report.read_text()


def test_an_uploaded_catchment_runs_as_its_own_config_folder(outputs):
    from sim.config import paths
    text = (paths.SCENARIOS / "population" / "silkeborg.yaml").read_bytes().replace(b"adults: 74000",
                                                                                    b"adults: 50000")
    accepted = uploads.accept(text, "My Town.yaml", outputs)
    assert accepted.choice == "upload_my_town"
    assert (accepted.folder / "population" / "upload_my_town.yaml").is_file()
    checked = runs.check(runs.Request(population=accepted.choice, config_dir=accepted.folder,
                                      overrides=list(SMALL)), outputs)
    assert checked.scenario.population.municipalities["silkeborg"].adults == 50000


def test_presets_are_every_point_of_the_shipped_experiments():
    found = presets.presets()
    by = {}
    for p in found:
        by.setdefault(p.experiment, []).append(p)
    assert len(by["staffing"]) == 18 and len(by["horsens_layouts"]) == 3 and len(by["cluster_layouts"]) == 10
    horsens = by["horsens_layouts"][1]
    assert horsens.choices == {"population": "horsens_klyngen", "organisation": "fact_crosssector",
                               "layout": "horsens_two_teams"}
    assert "to teams i Horsens-klyngen" in horsens.label("da")
    assert runs.check(runs.Request(population="horsens_klyngen", layout="horsens_two_teams",
                                   overrides=list(SMALL))).scenario.organisation.layout is not None


def test_the_views_state_the_runs_own_numbers(default):
    _, outcome = default
    run = views.Run(outcome.folder)
    html = run.key_sentences("da").replace("\u00a0", " ")
    comparison = pd.read_parquet(outcome.folder / "comparison.parquet").set_index("metric")
    pct = round(abs(comparison.loc["bed_days_per_citizen_year", "change_pct"]))
    assert f"{pct} % færre sengedage" in html or f"{pct} % flere sengedage" in html
    assert run.forest_plot("da")[:8] == b"\x89PNG\r\n\x1a\n"
    trade = run.tradeoffs("da", APP["da"])
    assert list(trade.columns) == ["Udfald", "Fragmenteret indsats", "Tværsektorielt FACT-team"]
    side = views.side_by_side([("a", outcome.folder), ("b", outcome.folder)], "en", APP["en"])
    assert list(side.a) == list(side.b) and side.a.iloc[0].startswith("Silkeborg") and side.a.iloc[1].endswith(")")


def test_the_pathway_animation_follows_the_same_citizens_under_each_organisation(default):
    _, outcome = default
    events = pd.read_parquet(outcome.folder / "events.parquet")
    chosen = pathways.sample(events, 8, seed=3)
    assert chosen == pathways.sample(events, 8, seed=3) and chosen != pathways.sample(events, 8, seed=4)
    frame = pathways.states_by_month(events, chosen)
    assert set(frame.citizen) == set(chosen) and set(frame.organisation) == {"fragmented", "fact_crosssector"}
    # the state at a month is the state after the citizen's last event before it
    one = events[(events.replication == 0) & (events.citizen == chosen[0]) & (events.organisation == "fragmented")]
    row = frame[(frame.citizen == chosen[0]) & (frame.organisation == "fragmented") & (frame.month == 6)]
    expected = one[one.time <= 6 * 365.25 / 12].sort_values("time").state.iloc[-1]
    assert row.state.iloc[0] == expected
    fig, n = pathways.animation(events, {"fragmented": "A", "fact_crosssector": "B"}, 3, "da", APP["da"], 8)
    assert n == 8 and len(fig.frames) == frame.month.nunique()
    # a citizen's square never moves: the same column and row in every frame, no transition
    places: dict[str, set] = {}
    for f in fig.frames:
        for trace in f.data:
            for key, x, y in zip(trace.ids, trace.x, trace.y):
                places.setdefault(key, set()).add((x, y))
    assert len(places) == 2 * 8 and all(len(p) == 1 for p in places.values())
    assert all(key.split(":")[0] == {"A": "fragmented", "B": "fact_crosssector"}[x]
               for key, p in places.items() for x, _ in p)
    assert fig.layout.sliders[0].transition.duration == 0


def test_the_merge_gathers_every_scenario_of_a_workshop(default, outputs):
    from sim.output.merge import merge
    checked, _ = default
    moved = levers.moved(levers.settings(checked.scenario), {"caseload": 25.0})
    runs.run(runs.check(runs.Request(replications=3, overrides=[*SMALL, *moved]), outputs))
    info = merge(outputs)
    assert len(info["finished"]) >= 2 and "organisation.teams.fact.caseload" in info["swept"]
    table = pd.read_parquet(outputs / "sweep_comparison.parquet")
    # a scenario that did not move the lever shows the value it ran with (null: staff as the YAML)
    assert {"25.0", "null"} <= set(table["organisation.teams.fact.caseload"])
    assert len(table.job.unique()) == len(info["finished"])


def test_the_pathways_read_only_the_citizens_they_draw(default):
    """One replication's sampled citizens, not the whole event log: the same citizens as
    sampled from the whole log, and a small part of it."""
    _, outcome = default
    run = views.Run(outcome.folder)
    assert not hasattr(run, "events")   # the whole log is not loaded with the run
    events = run.pathway_events(8)
    full = pd.read_parquet(outcome.folder / "events.parquet")
    assert sorted(events.citizen.unique()) == pathways.sample(full, 8, run.scenario.seed)
    assert set(events.replication) == {0} and len(events) < len(full) / 5


def test_memory_stays_bounded_over_50_redraws(default):
    """The page redrawn 50 times over a finished run (as every click redraws it) keeps its
    memory: growth under 60 MB (each redraw of the old page read the whole event log)."""
    import gc

    import psutil
    from streamlit.testing.v1 import AppTest

    from ..conftest import ROOT
    _, outcome = default
    at = AppTest.from_file(str(ROOT / "sim/apps/workshop/page.py"), default_timeout=120)
    at.session_state["current"] = str(outcome.folder)
    at.run()
    assert not at.exception
    me = psutil.Process()
    for _ in range(5):   # warm: caches, imports, Plotly's templates
        at.run()
    gc.collect()
    before = me.memory_info().rss
    for _ in range(50):
        at.run()
    gc.collect()
    grown = (me.memory_info().rss - before) / 2 ** 20
    print(f"memory after 50 redraws: +{grown:.1f} MB (rss {me.memory_info().rss / 2 ** 20:.0f} MB)")
    assert not at.exception and grown < 60, grown


# what a leader must never meet: the configuration's keys, command-line strings, paths,
# citation keys, the seed, English words for the runs
CODE = ["clinical.", "organisation.", "population.", "economy.", "uncertainty.", "++", "docs/", "[kl", "[rm",
        "replication", "provenance", ".yaml", "outputs/"]
SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")   # a code name such as bed_days_per_citizen_year


def leaks(text: str, seed: int) -> list[str]:
    text = re.sub(r"<img[^>]*>", "", text)
    text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)   # what a reader sees, not the markup's classes
    found = [p for p in CODE if p in text] + SNAKE.findall(text)
    return found + ([str(seed)] if str(seed) in text else [])


@pytest.fixture(scope="module")
def leader_run(outputs):
    """A run with parameter draws and moved levers, as a leader asks for it on the page."""
    base = runs.check(runs.Request(replications=2, uncertainty="ranges", overrides=[*SMALL, "uncertainty.draws=3"]),
                      outputs)
    moved = levers.moved(levers.settings(base.scenario), {"caseload": 25.0, "pulled_back": 2.5})
    checked = runs.check(runs.Request(replications=2, uncertainty="ranges",
                                      overrides=[*SMALL, "uncertainty.draws=3", *moved]), outputs)
    return checked, runs.run(checked)


def test_the_report_and_every_download_speak_no_code(leader_run):
    checked, outcome = leader_run
    folder, seed = outcome.folder, checked.scenario.seed
    found = {"report": leaks(runs.report(folder).read_text(encoding="utf-8"), seed)}
    archive = zipfile.ZipFile(io.BytesIO(downloads.csv_zip(folder)))
    for name in archive.namelist():
        found[f"zip {name}"] = leaks(name + " " + archive.read(name).decode("utf-8"), seed)
    for sheet, table in pd.read_excel(io.BytesIO(downloads.excel(folder)), sheet_name=None).items():
        found[f"xlsx {sheet}"] = leaks(" ".join([sheet, *map(str, table.columns), *map(str, table.values.ravel())]),
                                       seed)
    run = views.Run(folder)
    page = [run.key_sentences("da"), run.payers("da"), run.uncertainty("da"),
            run.tradeoffs("da", APP["da"]).to_string(),
            views.side_by_side([("Mit scenarie", folder)], "da", APP["da"]).to_string(),
            downloads.file_stem(folder)]
    found["page"] = leaks(" ".join(page), seed)
    assert {k: v for k, v in found.items() if v} == {}
    assert "Borgere pr. behandler: 25 borgere pr. årsværk" in views.choices_text(folder, "da", APP["da"])
    assert set(archive.namelist()) >= {"Hovedtal.csv", "Hvem betaler.csv", "Kapacitet.csv", "Antagelser.csv"}


def test_the_leaders_tables_state_the_runs_own_numbers(leader_run):
    _, outcome = leader_run
    tables = downloads.tables(outcome.folder)
    key = tables["Hovedtal"].set_index("Udfald")
    unc = pd.read_parquet(outcome.folder / "uncertainty_summary.parquet").set_index("metric")
    assert key.at["sengedage", "Ændring i %"] == pytest.approx(unc.at["bed_days_per_citizen_year", "change_pct"])
    payers = tables["Hvem betaler"].set_index("Betaler")
    total = pd.read_parquet(outcome.folder / "payer_comparison.parquet").set_index("payer").at["total", "difference"]
    assert payers.at["I alt", "Forskel (kr. om året)"] == pytest.approx(total)


@pytest.mark.parametrize("organisation, no_effect", [("fact_crosssector", True), ("fact_regional", False)])
def test_a_lever_that_changes_nothing_in_the_organisation_says_so(organisation, no_effect):
    sc = runs.check(runs.Request(organisation=organisation, overrides=list(SMALL))).scenario
    shared = next(s for s in levers.settings(sc) if s.lever.key == "shared_information")
    assert (shared.no_effect is not None) == no_effect
    if no_effect:
        assert "intet skal over en sektorgrænse" in APP["da"][shared.no_effect]
        # and it is true: the organisation's numbers are the same with the lever at 0
        from sim.experiments.runner import run_study
        quick = ["event_log=false", "replications=2"]
        same = [run_study(runs.check(runs.Request(organisation=organisation, overrides=[*SMALL, *quick, *extra]))
                          .scenario, progress=False, n_jobs=1).results for extra in ([], shared.overrides(0.0))]
        pick = [r[r.organisation == organisation].reset_index(drop=True) for r in same]
        pd.testing.assert_frame_equal(*pick)
