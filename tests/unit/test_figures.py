"""The figures speak the language asked for: every word drawn in a Danish figure is
Danish, every number has a decimal comma, and the forest plot colours each change by the
sign of its interval."""
from __future__ import annotations

import re

import matplotlib
import numpy as np
import pytest

from sim.experiments.results import compare, summarise
from sim.experiments.runner import run_study
from sim.output import plots
from sim.output.words import METRICS

from ..conftest import scenario

ENGLISH = ("Bed", "bed days", "years", "citizens", "warm-up", "change", "Mean", "replication",
           "stable", "crisis", "admitted", "Admissions", "per citizen-year", "Green")


@pytest.fixture(scope="module")
def tables():
    sc = scenario("event_log=true")
    study = run_study(sc, progress=False, n_jobs=1)
    return sc, study, summarise(study.results), compare(study.results, sc.baseline.name)


@pytest.fixture
def drawn(monkeypatch, tmp_path):
    """Every figure the plot functions make, kept open instead of saved."""
    figures = []
    monkeypatch.setattr(plots, "save", lambda fig, path: figures.append(fig) or path)
    return figures


def texts(fig) -> list[str]:
    found = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    for ax in (a for a in fig.axes if a.axison):   # tick labels are drawn by their formatter
        for axis in (ax.xaxis, ax.yaxis):
            found += [t.get_text() for t in axis.get_ticklabels()]
    return [t for t in found if t.strip()]


def test_every_word_of_a_danish_figure_is_danish(tables, drawn, tmp_path):
    sc, study, summary, comparison = tables
    labels = sc.labels("da")
    plots.changes(comparison, labels, tmp_path / "c.png", list(METRICS), "da")
    plots.comparison(summary, labels, tmp_path / "l.png", panels=list(plots.RATES), title="Gennemsnit", lang="da")
    plots.occupancy(study.timeseries, labels, tmp_path / "o.png", "da")
    plots.pathways(study.events, labels, tmp_path / "p.png", lang="da")
    assert len(drawn) == 4
    for fig in drawn:
        fig.canvas.draw()   # the tick labels exist once drawn
        words = " ".join(texts(fig))
        assert words, "an empty figure"
        leftovers = [w for w in ENGLISH if w in words]
        assert not leftovers, (leftovers, words[:300])
    occupancy = " ".join(texts(drawn[2]))
    assert "Senge i brug" in occupancy and "indsvingning" in occupancy and "år" in occupancy
    assert "Sengedage" in " ".join(texts(drawn[0]))
    ticks = [t for fig in drawn for t in texts(fig)]
    assert any(re.fullmatch(r"[-+]?\d+,\d+", t) for t in ticks), "no decimal comma on any axis"
    assert not [t for t in ticks if re.fullmatch(r"[-+]?\d+\.\d{1,2}", t)], "an English decimal"


def test_the_forest_plot_colours_a_change_by_the_sign_of_its_interval(drawn, tmp_path):
    import pandas as pd
    shown = pd.DataFrame({"organisation": "b", "baseline": "a",
                          "metric": ["bed_days_per_citizen_year", "admissions_per_citizen_year", "driving_hours"],
                          "change_pct": [-20.0, 1.0, 30.0], "change_pct_ci_lower": [-30.0, -5.0, 10.0],
                          "change_pct_ci_upper": [-10.0, 6.0, 50.0]})
    plots.changes(shown, {"a": "A", "b": "B"}, tmp_path / "c.png", list(METRICS), "en")
    ax = drawn[0].axes[0]
    dots = [line for line in ax.get_lines() if line.get_marker() == "o"]
    colours = [matplotlib.colors.to_hex(d.get_color()) for d in dots]
    assert colours == [plots.GAIN.lower(), plots.UNCLEAR, plots.COST.lower()]


def test_a_danish_sweep_plot_of_the_changes_is_danish(drawn, tmp_path):
    import pandas as pd
    rows = [{"job": str(j), "organisation.teams.fact.caseload": v, "organisation": "b", "metric": m,
             "change_pct": -10.5 - j, "change_pct_lower": -20.25, "change_pct_upper": -1.5}
            for j, v in enumerate((15, 25, 35)) for m in plots.SWEEP_OUTCOMES]
    plots.sweep_changes(pd.DataFrame(rows), ["organisation.teams.fact.caseload"], tmp_path / "s.png",
                        {"b": "B"}, "draws", lang="da")
    fig = drawn[0]
    fig.canvas.draw()
    words = " ".join(texts(fig))
    assert "parametertrækkene" in words and "Sengedage" in words
    assert not [w for w in ENGLISH if w in words], words[:300]
    assert not [t for t in texts(fig) if re.fullmatch(r"[-+]?\d+\.\d{1,2}", t)]


def _log(n: int = 30):
    import pandas as pd
    rows = [{"organisation": "a", "replication": 0, "citizen": c, "time": 0.0, "event": "enter",
             "state": "stable"} for c in range(n)]
    rows += [{"organisation": "a", "replication": 0, "citizen": 0, "time": t, "event": e, "state": s}
             for t, e, s in ((100.0, "bed_wait", "waiting_for_bed"), (101.0, "admission", "admitted"),
                             (120.0, "discharge", "stable"), (1000.0, "exit", "exit"))]
    return pd.DataFrame(rows)


def test_a_pathway_plot_shows_even_a_one_day_wait_for_a_bed(drawn, tmp_path):
    plots.pathways(_log(), {"a": "A"}, tmp_path / "p.png", citizens=1, pick="busiest")
    waiting = plots.STATE_COLOURS["waiting_for_bed"].lower()
    bars = [c for c in drawn[0].axes[0].collections
            if matplotlib.colors.to_hex(c.get_facecolor()[0]) == waiting]
    assert len(bars) == 1 and len(bars[0].get_paths()) == 1
    width = float(np.ptp(bars[0].get_paths()[0].vertices[:, 0]))
    assert width >= (1000.0 / 250) / 365.25 - 1e-9   # 4 days, not 1
    assert "the most events" in drawn[0]._suptitle.get_text()


def test_a_pathway_plot_samples_its_citizens_from_the_seed(drawn, tmp_path):
    def shown(seed):
        plots.pathways(_log(), {"a": "A"}, tmp_path / "p.png", citizens=5, seed=seed)
        return [t.get_text() for t in drawn[-1].axes[0].get_yticklabels()]
    assert shown(1) == shown(1) and shown(1) != shown(2)
    assert "random sample" in drawn[-1]._suptitle.get_text()


# ---- every plot function draws only words from the translation table ----------------

MARK = re.compile(r"⟦[^⟦⟧]*⟧")   # innermost first: a marked sentence may hold marked names
NUMERIC = re.compile(r"[\s\d.,:;()+\-−–%/=×]*")


def _mark(text: str) -> str:
    return f"⟦{text}⟧"


@pytest.fixture
def marked(monkeypatch):
    """A fake language: every English entry of every word table, marked ⟦like this⟧.
    A word a plot function writes from its own code, not from the table, shows unmarked."""
    from sim.output import numbers, words
    for table in (words.TEXT, words.FIGURE, words.STUDY_WORDS, numbers.WORDS):
        monkeypatch.setitem(table, "en", {k: _mark(v) for k, v in table["en"].items()})
    for table, places in ((words._ALL_METRICS, (1, 3)), (words.METRICS, (1, 3)), (words.STATES, (1,)),
                          (words.ASSUMPTIONS, (1, 3)), (words.PARAMETERS, (1,)), (words.VALUES, (1,)),
                          (words.VALUED, (1,))):
        for key, entry in list(table.items()):
            monkeypatch.setitem(table, key, tuple(_mark(e) if i in places else e for i, e in enumerate(entry)))


def unmarked(fig) -> list[str]:
    """The texts of ``fig`` that are neither from the table (marked) nor numbers."""
    fig.canvas.draw()
    def bare(text):
        while MARK.search(text):
            text = MARK.sub("", text)
        return text
    return [t for t in texts(fig) if not NUMERIC.fullmatch(bare(t))]


def _sweep_summary(swept: dict[str, list], orgs=("a", "b")):
    import itertools

    import pandas as pd
    rows = []
    for j, point in enumerate(itertools.product(*swept.values())):
        for org, scale in zip(orgs, (1.0, 0.8)):
            for k, m in enumerate(plots.SWEEP_OUTCOMES):
                mean = scale * (10.0 + k + j)
                rows.append({"job": str(j), **dict(zip(swept, point)), "organisation": org, "metric": m,
                             "mean": mean, "ci_lower": mean - 1.5, "ci_upper": mean + 1.5,
                             "change_pct": 100 * (scale - 1), "change_pct_lower": 100 * (scale - 1) - 5.5,
                             "change_pct_upper": 100 * (scale - 1) + 5.5})
    return pd.DataFrame(rows)


def test_every_plot_function_draws_only_words_from_the_translation_table(tables, drawn, marked, tmp_path):
    import pandas as pd

    from sim.output import study_plots
    sc, study, summary, comparison = tables
    matplotlib.rcParams["figure.max_open_warning"] = 0   # the figures are kept open to be read
    labels = {k: _mark(v) for k, v in sc.labels("en").items()}
    orgs = [o.name for o in sc.organisations]
    out = tmp_path / "f.png"
    plots.changes(comparison, labels, out, list(METRICS), "en")
    plots.comparison(summary, labels, out, lang="en")
    plots.outcomes(summary, labels, out, title=_mark("a title the caller takes from the table"), lang="en")
    plots.occupancy(study.timeseries, labels, out, "en")
    plots.pathways(study.events, labels, out, lang="en")
    plots.pathways(study.events, labels, out, lang="en", pick="busiest")
    draws = pd.DataFrame([{"draw": d, "organisation": o, "metric": m, "change_pct": -10.0 - d}
                          for d in range(5) for o in orgs[1:] for m in plots.UNCERTAIN])
    plots.uncertainty(draws, labels, out, lang="en")
    curve = pd.DataFrame([{"outcome": "bed_days", "value": x, "organisation": o, "probability": p,
                           "net_benefit": 0.0} for x in (0.0, 5000.0) for o, p in zip(orgs, (0.4, 0.6))])
    plots.acceptability(curve, labels, out, lang="en", shipped=0.0)
    one = {"organisation.teams.fact.caseload": [15, 25, 35]}
    two = {**one, "organisation.teams.fact.municipal_share": [0.25, 0.5]}
    categorical = {"organisation.team_base": ["catchment", "municipality"]}
    mixed = {**one, "organisation.team_base": ["catchment", "municipality"]}
    for swept in (one, two, categorical, mixed, {}):
        plots.sweep(_sweep_summary(swept, orgs), list(swept), tmp_path, labels, lang="en")
        plots.sweep_changes(_sweep_summary(swept, orgs), list(swept), out, labels, "draws", lang="en")
    ratios = pd.DataFrame([{"measure": m, "quantity": q, "mean": 0.8, "ci_lower": 0.7, "ci_upper": 0.9}
                           for m in study_plots.MEASURES
                           for q in ("observed_ratio", "counterfactual_ratio", "organisation_effect_ratio")])
    study_plots.ratio_panels(ratios, out, _mark("title"), targets={"bed_days": 0.7}, lang="en")
    parameters = [_mark("p"), _mark("q")]
    particles = pd.DataFrame({parameters[0]: [0.1, 0.2, 0.3], parameters[1]: [1.0, 2.0, 1.5],
                              "weight": [0.2, 0.5, 0.3]})
    study_plots.posterior_pairs(particles, parameters, out, {p: (0.0, 3.0) for p in parameters},
                                truth={parameters[0]: 0.2}, lang="en")
    study_plots.sensitivity_bars(pd.DataFrame({"output": _mark("o"), "parameter": parameters,
                                               "mu_star": [1.0, 2.0], "mu_star_conf": [0.1, 0.2]}),
                                 "mu_star", "mu_star_conf", out, "morris", lang="en")
    study_plots.sensitivity_bars(pd.DataFrame({"output": _mark("o"), "parameter": parameters,
                                               "ST": [0.3, 0.6], "ST_conf": [0.1, 0.2]}),
                                 "ST", "ST_conf", out, "sobol", lang="en")
    check = pd.DataFrame({"kind": ["level", "ratio"], "target": [20.0, 0.7], "target_low": [12.0, 0.6],
                          "target_high": [30.0, 0.8], "mean": [19.0, 0.9], "ci_lower": [17.0, 0.85],
                          "ci_upper": [21.0, 0.95], "met": [True, False], "target_set": _mark("set"),
                          "metric": [_mark("m1"), _mark("m2")]})
    study_plots.target_check(check, out, _mark("set"), lang="en")
    pull = pd.DataFrame({"target_set": _mark("set"), "metric": [_mark("m1"), _mark("m2")] * 2,
                         "parameter": [parameters[0]] * 2 + [parameters[1]] * 2, "spearman": [0.5, -0.7, 0.1, 0.9]})
    study_plots.target_pull(pull, out, lang="en")
    from sim.output import maps
    geography = pd.DataFrame({"municipality": ["a", "b", "c"], "label": [_mark("A"), _mark("B"), _mark("C")],
                              "target_group": [300.0, 100.0, 50.0], "lat": [56.1, 56.4, 55.9],
                              "lon": [10.2, 9.4, 8.9]})
    capacity = pd.DataFrame([{"organisation": o, "team": f"t:{b}", "base": b, "covers": c,
                              "case_management": True}
                             for o, sites in zip(orgs, ([("a", "a b c")], [("a", "a"), ("b", "b c")]))
                             for b, c in sites])
    per_muni = pd.DataFrame([{"organisation": o, "municipality": m, "metric": "bed_days_per_citizen_year",
                              "mean": 10.0 + i + j} for i, o in enumerate(orgs) for j, m in enumerate("abc")])
    maps.layout_map(geography, capacity, per_muni, labels, out, lang="en")
    assert len(drawn) == 28   # 9 of a run, 13 of five kinds of sweep, 6 of research
    leftovers = {i: unmarked(fig) for i, fig in enumerate(drawn)}
    assert all(any("⟦" in t for t in texts(fig)) for fig in drawn), "a figure with no word from the table"
    assert not {i: w for i, w in leftovers.items() if w}, leftovers


def _ticks(ax, axis="y") -> list[str]:
    ax.figure.canvas.draw()
    return [t.get_text() for t in getattr(ax, f"get_{axis}ticklabels")() if t.get_text()]


def test_every_tick_of_an_axis_has_the_same_number_format():
    fig, ax = matplotlib.pyplot.subplots()
    ax.plot([0, 1], [1.4, 2.6])
    ax.set_ylim(1.4, 2.6)
    plots.number_axis(ax.yaxis, "da")
    labels = _ticks(ax)
    assert len({len(t.split(",")[1]) if "," in t else 0 for t in labels}) == 1, labels   # never "1,50 / 2 / 2,50"
    assert "2,00" in labels or "2,0" in labels


def test_a_whole_number_axis_never_labels_a_rounded_tick(drawn, tmp_path):
    import pandas as pd
    shown = pd.DataFrame({"organisation": "b", "baseline": "a",
                          "metric": ["bed_days_per_citizen_year", "admissions_per_citizen_year"],
                          "change_pct": [-6.0, 2.0], "change_pct_ci_lower": [-8.7, -1.0],
                          "change_pct_ci_upper": [-4.0, 8.7]})
    plots.changes(shown, {"a": "A", "b": "B"}, tmp_path / "c.png", list(METRICS), "da")
    ax = drawn[0].axes[0]
    labels = _ticks(ax, "x")
    ticks = list(ax.get_xticks())
    assert all(float(t).is_integer() for t in ticks), ticks   # no -7.5 written as "-8"
    assert [int(t.replace("+", "").replace("−", "-")) for t in labels] == [int(t) for t in ticks]


def test_a_panel_with_nothing_to_show_is_left_out(drawn, tmp_path):
    import pandas as pd
    summary = pd.DataFrame([(o, m, v, v, v) for o in ("a", "b") for m, v in
                            (("bed_days_per_citizen_year", 10.0), ("contacts_lost", 0.0))],
                           columns=["organisation", "metric", "mean", "ci_lower", "ci_upper"])
    plots.comparison(summary, {"a": "A", "b": "B"}, tmp_path / "l.png",
                     panels=["bed_days_per_citizen_year", "contacts_lost"], lang="da")
    titles = [ax.get_title() for ax in drawn[0].axes if ax.axison]
    assert len(titles) == 1 and "Sengedage" in titles[0]


def test_the_bed_plot_draws_the_beds_and_colours_keep_one_meaning(tables, drawn, tmp_path):
    sc, study, summary, _ = tables
    plots.occupancy(study.timeseries, sc.labels("da"), tmp_path / "o.png", "da", beds=16)
    beds = drawn[0].axes[0]
    assert any(list(line.get_ydata()) == [16, 16] for line in beds.get_lines())
    assert "sengene i alt (16)" in [t.get_text() for t in beds.get_legend().get_texts()]
    organisations = {matplotlib.colors.to_hex(line.get_color()) for line in beds.get_lines()[:2]}
    assert not organisations & {plots.GAIN.lower(), plots.COST.lower(), "#e69f00"}   # green, vermillion, orange
    assert not {c.lower() for c in plots.SERIES} & {plots.GAIN.lower(), plots.COST.lower(), "#e69f00"}
