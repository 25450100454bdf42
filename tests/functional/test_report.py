"""The leaders' workshop report: self-contained HTML, figures that match the tables,
checked in a real browser (headless Chromium)."""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from sim.output import browser
from sim.output.report import _source

from .test_cli import SMALL, factsim_ok

NEED_BROWSER = os.environ.get("FACTSIM_REQUIRE_BROWSER") == "1"
# English labels the code uses, which a Danish report must never show
ENGLISH_LABELS = ["Fragmented sectors", "Cross-sectoral FACT", "Psychosis outpatient clinic",
                  "Acute outreach team", "Municipal social psychiatry", "Bed days", "bed days", "Admissions",
                  "warm-up", "years", "Key figures", "citizen-year", "True", "None", "Gains", "Costs",
                  "assumption", "calibrated", "section", "see"]


def read(path) -> str:
    """A report as text, its no-break spaces and hyphens as plain ones."""
    return path.read_text(encoding="utf-8").replace("\u00a0", " ").replace("\u2011", "-")


def report(*args):
    return subprocess.run([sys.executable, "-m", "sim.output.report", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def run_with_reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report") / "run"
    factsim_ok(*SMALL, "replications=3", "+costs=dkk_assumed", f"hydra.run.dir={folder}")
    for lang in ("da", "en"):
        made = report(folder, "--lang", lang)
        assert made.returncode == 0, made.stderr
    return folder


def _key_figures(page: str) -> list[dict]:
    pattern = (r"<p class='key-figure' data-metric='([^']+)' data-organisation='([^']+)' "
               r"data-pct='(-?\d+)' data-lo='(-?\d+)' data-hi='(-?\d+)'>([^<]*)</p>")
    return [dict(zip(("metric", "organisation", "pct", "lo", "hi", "text"), m))
            for m in re.findall(pattern, page)]


@pytest.mark.parametrize("lang, word", [("da", "sengedage"), ("en", "bed days")])
def test_the_figures_in_the_text_match_the_table(run_with_reports, lang, word):
    page = read(run_with_reports / f"report_{lang}.html")
    comparison = pd.read_csv(run_with_reports / "comparison.csv").set_index("metric")
    figures = _key_figures(page)
    assert len(figures) >= 9
    assert any(word in f["text"] for f in figures)
    for f in figures:
        row = comparison.loc[f["metric"]]
        pct, lo, hi = (round(row[c]) for c in ("change_pct", "change_pct_ci_lower",
                                                 "change_pct_ci_upper"))
        assert (int(f["pct"]), int(f["lo"]), int(f["hi"])) == (pct, lo, hi)
        numbers = [int(n) for n in re.findall(r"\d+", re.sub(r"95 %[- ]interval", "", f["text"]))]
        assert abs(pct) in numbers and abs(lo) in numbers and abs(hi) in numbers, f["text"]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_gains_and_costs_stand_side_by_side_by_the_sign_of_their_interval(run_with_reports, lang):
    page = read(run_with_reports / f"report_{lang}.html")
    parts = re.split(r"<h3 class='(gains|costs|unclear)'>", page)
    groups = {"gains": [], "costs": [], "unclear": []}
    for name, chunk in zip(parts[1::2], parts[2::2]):
        groups[name] += _key_figures(chunk.split("<h3")[0])
    assert sum(map(len, groups.values())) == len(_key_figures(page))
    assert groups["gains"] and groups["costs"], "a reorganisation with no cost shown"
    assert all(int(f["hi"]) < 0 for f in groups["gains"])
    assert all(int(f["lo"]) > 0 for f in groups["costs"])
    assert all(int(f["lo"]) <= 0 <= int(f["hi"]) for f in groups["unclear"])
    shown = set(re.findall(r"class='key-figure' data-metric='([^']+)'", page))   # from zero too
    assert {"bed_wait_days", "scaleups_refused", "dropouts", "crises_per_citizen_year"} <= shown
    assert not {m for m in shown if m.startswith("staff_hours")}   # hours used are never a gain or a cost
    assert "data-metric='staff_utilisation'" in page and "data-metric='staff_fte'" in page   # as levels


def test_the_danish_report_writes_numbers_with_a_decimal_comma(run_with_reports):
    page = read(run_with_reports / "report_da.html")
    summary = pd.read_csv(run_with_reports / "summary.csv").set_index(["organisation", "metric"])
    r = summary.loc[("fragmented", "bed_days_per_citizen_year")]
    assert f"{r['mean']:.2f}".replace(".", ",") in page or f"{r['mean']:.1f}".replace(".", ",") in page
    assert not re.search(r"\(\d+\.\d+-\d+\.\d+\)", page), "an English interval in the Danish report"
    assert " til " in page


def test_the_report_is_self_contained(run_with_reports):
    page = read(run_with_reports / "report_da.html")
    assert "<html lang='da'>" in page
    assert not re.search(r"(src|href)=['\"](?!data:)", page), "an external resource"
    assert page.count("data:image/png;base64,") == 4
    assert "Bilag: de vigtigste antagelser" in page and "psykiatriske senge" in page
    prov = pd.read_parquet(run_with_reports / "provenance.parquet").set_index("parameter")
    source = prov.at["population.beds", "source"]   # a short phrase in Danish, not the English reasoning
    assert html.escape(_source(source, "da"), quote=False) in page
    assert html.escape(source, quote=False) not in page
    appendix = page.split("Bilag: de vigtigste antagelser")[1]
    assert ">True<" not in appendix and ">None<" not in appendix
    assert appendix.count("<tr>") < 40   # short: the full provenance stays in the folder


def test_a_folder_without_results_is_one_line(tmp_path):
    proc = report(tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "no finished run" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not list(tmp_path.iterdir())


def test_an_unknown_language_is_one_line(run_with_reports):
    proc = report(run_with_reports, "--lang", "fr")
    assert proc.returncode == 2 and "allowed: da, en" in proc.stderr


@pytest.mark.skipif(not browser.available() and not NEED_BROWSER,
                    reason="Debian chromium and chromium-driver not installed (.ci/run installs them)")
@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_report_renders_in_chromium_without_errors(run_with_reports, lang, tmp_path):
    page = run_with_reports / f"report_{lang}.html"
    comparison = pd.read_csv(run_with_reports / "comparison.csv").set_index("metric")
    with browser.chromium() as driver:
        driver.get(page.resolve().as_uri())
        assert driver.execute_script("return document.readyState") == "complete"
        severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert severe == []
        images = driver.execute_script(
            "return Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
        assert len(images) == 4 and all(ok and width > 500 for ok, width in images)
        shown = driver.execute_script(
            "return Array.from(document.querySelectorAll('.key-figure[data-pct]')).map("
            "p => [p.dataset.metric, p.innerText.replace(/\\u00a0/g, ' ').replace(/\\u2011/g, '-')])")
        assert len(shown) >= 9
        for metric, text in shown:
            if pd.isna(comparison.loc[metric, "change_pct"]):   # none in the baseline: said as levels
                assert re.search(r"(fra|from) 0 (til|to) ", text) or "Ingen" in text or "No " in text, text
                continue
            pct = round(comparison.loc[metric, "change_pct"])
            assert f"{abs(pct)} %" in text or f"{pct:+} %" in text, text
        if lang == "da":   # what a Danish leader reads, the appendix too (overrides are quoted as typed)
            visible = driver.execute_script(
                "const c = document.body.cloneNode(true);"
                "c.querySelectorAll('code').forEach(e => e.remove());"
                "document.body.appendChild(c); const t = c.innerText; c.remove(); return t;")
            english = [w for w in ENGLISH_LABELS if re.search(rf"\b{re.escape(w)}\b", visible)]
            assert not english, english
            assert not re.search(r"\b\d+\.\d{1,2}\b", visible), "an English decimal"
            assert not re.search(r"\d %", visible), "a line may break inside a percentage"
            assert re.search(r"\b\d+,\d+\b", visible), "no decimal comma"
        shot = tmp_path / "report.png"
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000


def test_the_report_states_the_decision_probabilities_of_a_run_with_uncertainty(tmp_path):
    folder = tmp_path / "run"
    factsim_ok(*SMALL, "uncertainty=ranges", "uncertainty.draws=4",
               f"hydra.run.dir={folder}")
    assert report(folder, "--lang", "da").returncode == 0
    page = read(folder / "report_da.html")
    decisions = pd.read_parquet(folder / "decisions.parquet").set_index("decision").probability
    fall = round(100 * decisions["bed_days_fall"])
    k = round(4 * decisions["bed_days_fall"])   # a probability says how many draws it rests on
    assert f"Færre sengedage i {k} af 4 gennemløb ({fall} %; 95 %-interval " in page
    assert f"data-probability-fall='{fall}'" in page
    assert "dækker kun simulationens egen tilfældighed" in page
    assert "Hvilke antagelser flytter ændringen i sengedage mest" in page
    # the key sentences state the interval over the draws, not the narrower noise-only one
    unc = pd.read_parquet(folder / "uncertainty_summary.parquet").set_index(["organisation", "metric"])
    figures = _key_figures(page)
    assert figures
    for fig in figures:
        r = unc.loc[(fig["organisation"], fig["metric"])]
        assert int(fig["lo"]) == round(r.change_pct_lower) and int(fig["hi"]) == round(r.change_pct_upper)
    assert (folder / "plots" / "uncertainty.png").is_file()


def test_a_study_report_states_its_time_frame_and_the_decomposition_in_danish(tmp_path):
    folder = tmp_path / "study"
    factsim_ok(*SMALL, "study=norway_prepost", "replications=2", f"hydra.run.dir={folder}")
    assert report(folder, "--lang", "da").returncode == 0
    page = read(folder / "report_da.html")
    summary = pd.read_parquet(folder / "prepost_summary.parquet")
    study = yaml.safe_load((folder / "config.yaml").read_text())["study"]
    assert (f"Studiet følger de inkluderede borgere {study['pre_months']:g} måneder før og "
            f"{study['post_months']:g} måneder efter") in page
    assert "Før/efter-studiet: hvad organiseringen selv gjorde" in page
    effect = summary[(summary.measure == "bed_days") & (summary.quantity == "organisation_effect_ratio")]
    shown = f"{effect['mean'].iloc[0]:.2f}".replace(".", ",")
    assert f"Organiseringens egen effekt er derfor et forhold på {shown}" in page
    assert "uden organiseringen efter/før" in page and "regression mod middelværdien" in page


@pytest.mark.parametrize("lang, source, phrase", [
    ("da", "assumption: gamma, right-skewed stays", "antagelse"),
    ("da", "assumption: set so that ([kl2021]: 52 %; [opus2008] about 39 days)", "antagelse; se KL 2021, OPUS 2008"),
    ("da", "[rm2025 section 4.1]: 25 citizens per worker", "publiceret tal; se Region Midtjylland 2025 afsnit 4.1"),
    ("da", "[model: background]: scaled down when stable", "se modelbeskrivelsen"),
    ("da", "calibrated: factsim-calibrate (2026-11-23) to ... ([burns2007]); posterior median, 95 % interval "
           "8.14-39.6; redo with make calibrate ([model: calibration])",
     "kalibreret mod de publicerede tal (95 %-interval 8,1 til 39,6)"),
    ("da", "set on the command line (population.beds=12)", "ændret ved denne kørsel"),
    ("en", "assumption: why ([kl2021]) and [kl2021] again", "assumption; see KL 2021"),
])
def test_a_source_is_a_short_phrase_in_the_reports_language(lang, source, phrase):
    assert _source(source, lang) == phrase


def test_the_report_says_who_pays_and_who_saves(run_with_reports):
    page = read(run_with_reports / "report_da.html")
    section = page.split("<h2>Hvem betaler, hvem sparer</h2>")[1].split("<h2>")[0]
    sentence = re.search(r"<p class='key-figure payers'[^>]*>([^<]*)</p>", section).group(1)
    assert "Regionen" in sentence and "Silkeborg Kommune" in sentence and "i alt" in sentence
    rows = [re.findall(r"<td>([^<]*)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", section, flags=re.S)]
    rows = [r for r in rows if r]
    assert [r[0] for r in rows] == ["Regionen", "Silkeborg Kommune", "I alt"]
    assert "mio. kr." in rows[0][1]


@pytest.mark.parametrize("lang, head", [("da", "Hvad modellen ikke kan fortælle"),
                                        ("en", "What the model cannot tell")])
def test_the_report_says_what_the_model_cannot_tell(run_with_reports, lang, head):
    page = read(run_with_reports / f"report_{lang}.html")
    section = page.split(f"<h2 id='limits'>{head}</h2>")[1].split("<h2")[0]
    items = re.findall(r"<li>([^<]+)</li>", section)
    assert 4 <= len(items) <= 8 and all(len(i) < 320 for i in items)   # short: a leader reads it
    assert page.index(head) < page.index("Bilag" if lang == "da" else "Appendix")
