"""The workshop page end to end in a real browser: the app as ``make workshop`` starts it,
on a free localhost port, driven by headless Chromium (Debian's chromium and
chromium-driver, through Selenium)."""
from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from sim.output import browser

NEED_BROWSER = os.environ.get("FACTSIM_REQUIRE_BROWSER") == "1"
pytestmark = pytest.mark.skipif(not browser.available() and not NEED_BROWSER,
                                reason="Debian chromium and chromium-driver not installed (.ci/run installs them)")
RUN = "Kør"
CASELOAD = "Borgere pr. behandler (borgere pr. årsværk)"
SHARE = "Kommunal andel af behandlerne (%)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The workshop app on a free port, in a folder of its own (its outputs/ go there)."""
    cwd = tmp_path_factory.mktemp("app")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sim.apps.workshop", "--port", str(port)], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://localhost:{port}"
    deadline = time.time() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                out = proc.stdout.read().decode() if proc.poll() is not None else ""
                pytest.fail(f"the workshop app did not start: {out[-2000:]}")
            time.sleep(0.5)
    yield url, cwd
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def _wait(driver, condition, timeout=240):
    """Wait for ``condition``; the page redraws as it runs, so an element seen a moment ago
    may be gone: look again."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout, poll_frequency=0.3,
                         ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(condition)


QUICK = "Kun simulationens tilfældighed (hurtigt; intervallerne er for smalle)"
RANGES = "Med usikkerheden om antagelserne (intervaller fra følsomhedsanalysen)"


def open_page(driver, url: str, replications: int = 3, uncertainty: str = QUICK) -> None:
    from selenium.webdriver.common.by import By
    driver.get(url)
    _wait(driver, lambda d: d.find_elements(By.XPATH, f"//button[.//p[text()='{RUN}']]"))
    choose(driver, "Usikkerhed", uncertainty)
    settle(driver)
    _wait(driver, lambda d: d.find_element(By.XPATH, "//summary[.//p[text()='For facilitatoren']]")).click()
    set_number(driver, "Gennemløb", replications)
    settle(driver)   # the sidebar change reruns the page and renews the levers


def choose(driver, label: str, option: str) -> None:
    """Choose ``option`` in the select box named ``label``."""
    from selenium.webdriver.common.by import By
    box = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, f'input[aria-label="{label}"]'))
    box.click()
    _wait(driver, lambda d: d.find_element(By.XPATH, f"//*[@role='option'][normalize-space(.)='{option}']")).click()
    _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, f'input[aria-label="{label}"]')
          .get_attribute("value") == option)


def settle(driver) -> None:
    """Wait until the page has finished running its script (Streamlit's running indicator
    is gone for a moment), so the inputs found next are the ones it keeps."""
    time.sleep(0.5)
    _wait(driver, lambda d: d.execute_script(
        "return !document.querySelector('[data-testid=\"stStatusWidget\"]')"))
    time.sleep(0.5)


def set_number(driver, label: str, value) -> None:
    """Type ``value`` (a number, or the text a leader types) into the field named ``label``."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    text = value if isinstance(value, str) else f"{value:g}".replace(".", ",")

    def typed(d):
        field = d.find_element(By.CSS_SELECTOR, f'input[aria-label="{label}"]')
        if (field.get_attribute("value") or "") != text:
            field.send_keys(Keys.CONTROL, "a")
            field.send_keys(text)
            field.send_keys(Keys.TAB)
            return False
        return True
    _wait(driver, typed)   # typed again if the page redrew the input meanwhile
    settle(driver)


def messages(driver) -> list[str]:
    """The texts of the page's messages now (read in one go: the page may be redrawing)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('[data-testid=\"stAlert\"]')).map(e => e.innerText)")


def press_run(driver, before: list[str]) -> str:
    """Press Run; return the new message (a finished run's folder, or a refusal)."""
    from selenium.webdriver.common.by import By
    driver.find_element(By.XPATH, f"//button[.//p[text()='{RUN}']]").click()

    def new_message(d):
        found = [m for m in messages(d) if ("Færdig" in m or "kørt før" in m or "Intet er kørt" in m)
                 and m not in before]
        return found[0] if found else False
    return _wait(driver, new_message)


def folder_of(message: str, cwd: Path) -> Path:
    """The run folder of the run a finished run's message names (by its id, not its path)."""
    return cwd / "outputs" / "workshop" / re.search(r"kørsel ([0-9a-f]{16})", message).group(1)


def sentence(driver) -> str:
    from selenium.webdriver.common.by import By
    return _wait(driver, lambda d: d.find_element(
        By.CSS_SELECTOR, ".key-figure[data-metric='bed_days_per_citizen_year']")).text.replace("\u00a0", " ")


def figure(driver) -> str:
    from selenium.webdriver.common.by import By
    images = _wait(driver, lambda d: [i for i in d.find_elements(By.CSS_SELECTOR, '[data-testid="stImage"] img')
                                      if i.get_attribute("naturalWidth") not in (None, "0")])
    return images[0].get_attribute("src")


def factsim_summary(tmp: Path, *args: str) -> pd.DataFrame:
    out = tmp / "cli"
    proc = subprocess.run([sys.executable, "-m", "sim", *args, f"hydra.run.dir={out}"], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return pd.read_parquet(out / "summary.parquet")


def test_a_lever_changes_the_answer_and_the_answer_is_the_command_lines(app, tmp_path):
    url, cwd = app
    with browser.chromium(1400, 2400) as driver:
        open_page(driver, url)
        first = press_run(driver, messages(driver))
        first_sentence, first_figure = sentence(driver), figure(driver)
        set_number(driver, CASELOAD, 25)
        moved = press_run(driver, messages(driver))
        _wait(driver, lambda d: sentence(d) != first_sentence)
        moved_sentence = sentence(driver)
        _wait(driver, lambda d: figure(d) != first_figure, timeout=30)   # the forest plot is redrawn
        severe = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert severe == []
        driver.save_screenshot(str(tmp_path / "workshop.png"))
    folder = folder_of(moved, cwd)
    assert folder != folder_of(first, cwd) and (folder / "manifest.json").is_file()
    comparison = pd.read_parquet(folder / "comparison.parquet").set_index("metric")
    pct = round(abs(comparison.loc["bed_days_per_citizen_year", "change_pct"]))
    assert f"{pct} % færre sengedage" in moved_sentence, (moved_sentence, pct)
    # the same overrides on the command line give the same tables
    cli = factsim_summary(tmp_path, "replications=3", "seed=20251104", "plots=false",
                          "++organisation.teams.fact.caseload=25.0")
    pd.testing.assert_frame_equal(cli, pd.read_parquet(folder / "summary.parquet"))


def test_the_tables_and_the_report_download(app, tmp_path):
    from selenium.webdriver.common.by import By
    url, cwd = app
    downloads = tmp_path / "dl"
    downloads.mkdir()
    with browser.chromium(1400, 2400, downloads=downloads) as driver:
        open_page(driver, url)
        folder = folder_of(press_run(driver, messages(driver)), cwd)
        _wait(driver, lambda d: d.find_element(By.XPATH, "//*[@role='tab'][normalize-space(.)='Hent']")).click()
        for label, suffix in (("Tabeller (CSV, zip)", ".zip"), ("Tabeller (Excel)", ".xlsx"),
                              ("Rapport (HTML, dansk)", ".html")):
            button = _wait(driver, lambda d, label=label: d.find_element(
                By.XPATH, f"//button[.//p[text()='{label}']]"))
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", button)
            _wait(driver, lambda d, suffix=suffix: [p for p in downloads.iterdir() if p.suffix == suffix],
                  timeout=240)
    time.sleep(1)
    zipped = next(downloads.glob("*.zip"))
    key = pd.read_csv(io.BytesIO(zipfile.ZipFile(zipped).read("Hovedtal.csv")), sep=";", decimal=",")
    comparison = pd.read_csv(folder / "comparison.csv").set_index("metric")
    assert key.set_index("Udfald").at["sengedage", "Ændring i %"] == pytest.approx(
        comparison.at["bed_days_per_citizen_year", "change_pct"])
    sheets = pd.read_excel(next(downloads.glob("*.xlsx")), sheet_name=None)
    assert {"Hovedtal", "Hvem betaler", "Antagelser"} <= set(sheets)
    assert "Hovedtal" in next(downloads.glob("*.html")).read_text()
    names = sorted(p.name for p in downloads.iterdir())   # readable: the catchment and organisations, no id
    assert all(n.startswith("Silkeborg_Tværsektorielt-FACT-team_mod_Fragmenteret-indsats_") for n in names), names
    assert not any(folder.name in n for n in names)


def test_an_impossible_value_is_refused_on_the_page_and_nothing_runs(app):
    url, cwd = app
    with browser.chromium(1400, 2400) as driver:
        open_page(driver, url, replications=4)
        runs_before = sorted((cwd / "outputs" / "workshop").glob("*/manifest.json")) \
            if (cwd / "outputs" / "workshop").is_dir() else []
        set_number(driver, SHARE, 150)
        refusal = press_run(driver, messages(driver))
    assert "Kommunal andel af behandlerne" in refusal and "0 til 100 %" in refusal and "Intet er kørt" in refusal
    after = sorted((cwd / "outputs" / "workshop").glob("*/manifest.json")) \
        if (cwd / "outputs" / "workshop").is_dir() else []
    assert after == runs_before


def test_two_sessions_at_once_get_their_own_results(app):
    from selenium.webdriver.common.by import By
    url, cwd = app
    with browser.chromium(1400, 2400) as a, browser.chromium(1400, 2400) as b:
        for driver, caseload in ((a, 18), (b, 32)):
            open_page(driver, url, replications=5)
            set_number(driver, CASELOAD, caseload)
        before = {id(d): messages(d) for d in (a, b)}
        for driver in (a, b):   # both press Run before either has finished
            driver.find_element(By.XPATH, f"//button[.//p[text()='{RUN}']]").click()
        done = {}
        for driver in (a, b):
            done[id(driver)] = _wait(driver, lambda d: next(
                (m for m in messages(d) if ("Færdig" in m or "kørt før" in m) and m not in before[id(d)]), False))
        shown = {id(d): sentence(d) for d in (a, b)}
    folders = {k: folder_of(m, cwd) for k, m in done.items()}
    assert folders[id(a)] != folders[id(b)]
    for key, folder in folders.items():   # each page states its own run's change
        comparison = pd.read_parquet(folder / "comparison.parquet").set_index("metric")
        pct = round(abs(comparison.loc["bed_days_per_citizen_year", "change_pct"]))
        assert f"{pct} %" in shown[key], (shown[key], pct)
        cfg = (folder / "config.yaml").read_text()
        assert ("caseload: 18.0" in cfg) == (key == id(a)) and ("caseload: 32.0" in cfg) == (key == id(b))


def test_an_uploaded_catchment_is_chosen_and_run(app, tmp_path):
    from selenium.webdriver.common.by import By

    from ..conftest import ROOT
    url, cwd = app
    mine = tmp_path / "Min by.yaml"
    text = (ROOT / "scenarios" / "population" / "silkeborg.yaml").read_text()
    mine.write_text(text.replace("name: Silkeborg", "name: Min by").replace("adults: 74000", "adults: 60000"))
    with browser.chromium(1400, 2400) as driver:
        open_page(driver, url)
        upload = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "input[type='file']"))
        upload.send_keys(str(mine))
        _wait(driver, lambda d: "upload_min_by" in d.find_element(By.CSS_SELECTOR, 'input[aria-label="Optageområde"]')
              .get_attribute("value"))
        settle(driver)
        set_number(driver, "Gennemløb", 3)
        settle(driver)
        folder = folder_of(press_run(driver, messages(driver)), cwd)
    config = (folder / "config.yaml").read_text()
    assert "name: Min by" in config and "adults: 60000" in config


def test_a_long_run_in_one_session_does_not_keep_another_from_its_answer(app):
    """Two leaders at once: one asks for a long run, the other for a short one with other
    settings; the short one is answered while the long one still runs (the queue has a
    slot for each), and each page states its own run's numbers."""
    from selenium.webdriver.common.by import By
    url, cwd = app
    with browser.chromium(1400, 2400) as a, browser.chromium(1400, 2400) as b:
        open_page(a, url, replications=60)
        set_number(a, CASELOAD, 20)
        open_page(b, url, replications=2)
        set_number(b, CASELOAD, 30)
        before = {id(d): messages(d) for d in (a, b)}
        a.find_element(By.XPATH, f"//button[.//p[text()='{RUN}']]").click()
        time.sleep(2)   # the long run has started
        started = time.time()
        b.find_element(By.XPATH, f"//button[.//p[text()='{RUN}']]").click()

        def finished(d):
            return next((m for m in messages(d) if ("Færdig" in m or "kørt før" in m) and m not in before[id(d)]),
                        False)
        short = _wait(b, finished)
        answered = time.time() - started
        long_still_running = not finished(a)
        shown_b = sentence(b)
        long = _wait(a, finished, timeout=600)
        shown_a = sentence(a)
    print(f"the short run answered in {answered:.1f} s while the long one ran")
    assert long_still_running
    for message, shown, caseload in ((long, shown_a, "20.0"), (short, shown_b, "30.0")):
        folder = folder_of(message, cwd)
        comparison = pd.read_parquet(folder / "comparison.parquet").set_index("metric")
        pct = round(abs(comparison.loc["bed_days_per_citizen_year", "change_pct"]))
        assert f"{pct} %" in shown, (shown, pct)
        assert f"caseload: {caseload}" in (folder / "config.yaml").read_text()


def test_a_hostile_upload_is_refused_on_the_page_in_one_sentence(app, tmp_path, monkeypatch):
    from selenium.webdriver.common.by import By

    from ..conftest import ROOT
    url, cwd = app
    secret = tmp_path / "leak.yaml"
    secret.write_text("token: s3cr3t-never-shown\n")
    mine = tmp_path / "silkeborg.yaml"
    text = (ROOT / "scenarios" / "population" / "silkeborg.yaml").read_text()
    mine.write_text(f"defaults:\n  - /..{secret.parent}/leak@sources.leak\n  - _self_\n"
                    + text.replace("name: Silkeborg", "name: ${population.sources.leak.token}"))
    with browser.chromium(1400, 2400) as driver:
        open_page(driver, url)
        upload = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, "input[type='file']"))
        upload.send_keys(str(mine))
        refusal = _wait(driver, lambda d: next((m for m in messages(d) if "Filen er ikke brugt" in m), False),
                        timeout=60)
        page = driver.find_element(By.TAG_NAME, "body").text
    assert "defaults:-liste" in refusal and refusal.count("\n") == 0
    assert "s3cr3t" not in page and "Traceback" not in page and str(tmp_path) not in page
    assert "upload_silkeborg" not in page   # not offered as a catchment


def visible(driver, css: str) -> list[str]:
    """The texts of the elements ``css`` selects, read in one go."""
    return driver.execute_script(
        f"return Array.from(document.querySelectorAll({css!r})).map(e => e.innerText.replace(/\\u00a0/g, ' '))")


def test_a_danish_decimal_comma_is_read_as_a_decimal(app):
    url, cwd = app
    with browser.chromium(1400, 2400) as driver:
        open_page(driver, url, replications=2)
        set_number(driver, CASELOAD, "20,5")
        folder = folder_of(press_run(driver, messages(driver)), cwd)
        shown = driver.find_element("css selector", f'input[aria-label="{CASELOAD}"]').get_attribute("value")
    assert "caseload: 20.5" in (folder / "config.yaml").read_text()   # 20.5, not 205
    assert shown == "20,5"


def test_a_lever_change_marks_the_old_answer_out_of_date(app):
    url, cwd = app
    with browser.chromium(1400, 2400) as driver:
        open_page(driver, url, replications=2)
        press_run(driver, messages(driver))
        sentence(driver)
        assert not [m for m in messages(driver) if "hører til de tidligere valg" in m]
        set_number(driver, "Tid trukket tilbage til moderorganisationen (dage om ugen)", "1")
        old = _wait(driver, lambda d: [m for m in messages(d) if "hører til de tidligere valg" in m], timeout=30)
        answer = driver.find_element("css selector", "h2#svaret").get_attribute("class")
    assert "Tryk Kør" in old[0] and "old" in answer


def test_an_overloaded_team_is_said_among_the_costs_with_a_warning(app):
    url, cwd = app
    with browser.chromium(1400, 2400) as driver:
        open_page(driver, url, replications=2)
        set_number(driver, CASELOAD, 25)
        set_number(driver, "Tid trukket tilbage til moderorganisationen (dage om ugen)", "2,5")
        press_run(driver, messages(driver))
        sentence(driver)
        costs = visible(driver, "h3.costs + p, h3.costs ~ p")
        warning = visible(driver, "div.warning")
        driver.save_screenshot(str(cwd / "overloaded.png"))
    assert any(c.startswith("Teamet er overbelastet:") and "af rutinekontakterne gives ikke" in c for c in costs)
    assert warning and "er overbelastet" in warning[0]


def test_a_refusal_is_danish_and_the_levers_stay(app):
    url, cwd = app
    with browser.chromium(1400, 2400) as driver:
        open_page(driver, url, replications=2)
        set_number(driver, SHARE, 150)
        set_number(driver, CASELOAD, "20,5")
        refusal = press_run(driver, messages(driver))
        kept = {label: driver.find_element("css selector", f'input[aria-label="{label}"]').get_attribute("value")
                for label in (SHARE, CASELOAD)}
    assert refusal.startswith("Kommunal andel af behandlerne: 150 % er ikke muligt") and "Intet er kørt" in refusal
    assert kept == {SHARE: "150", CASELOAD: "20,5"}


def test_the_pages_interval_is_the_reports_for_the_same_settings_and_seed(app, tmp_path):
    from selenium.webdriver.common.by import By
    url, cwd = app
    with browser.chromium(1400, 2400) as driver:
        open_page(driver, url, replications=2, uncertainty=RANGES)
        press_run(driver, messages(driver))
        figure = _wait(driver, lambda d: d.find_element(
            By.CSS_SELECTOR, ".key-figure[data-metric='bed_days_per_citizen_year']"))
        page = (figure.get_attribute("data-lo"), figure.get_attribute("data-hi"))
        counts = _wait(driver, lambda d: visible(d, "[data-uncertainty]"), timeout=60)
    out = tmp_path / "cli"
    proc = subprocess.run([sys.executable, "-m", "sim", "uncertainty=ranges", "replications=2", "seed=20251104",
                           "plots=false", f"hydra.run.dir={out}"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    made = subprocess.run([sys.executable, "-m", "sim.output.report", str(out)], capture_output=True, text=True,
                          timeout=300)
    assert made.returncode == 0, made.stderr
    report = (out / "report_da.html").read_text(encoding="utf-8")
    found = re.search(r"data-metric='bed_days_per_citizen_year' data-organisation='[^']+' data-pct='[^']+' "
                      r"data-lo='([^']+)' data-hi='([^']+)'", report)
    assert page == found.groups()
    assert counts and re.search(r"i \d+ af 20 gennemløb", counts[0])   # how many draws a probability rests on


# what the page draws of an element: its text, without the text it hides (font-size 0 or
# not displayed) and Material icons' names, with the text its style draws (::before, ::after)
DRAWN = """
const drawn = (node) => {
  if (node.nodeType === Node.TEXT_NODE) {
    return getComputedStyle(node.parentElement).fontSize === '0px' ? '' : node.textContent;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return '';
  const style = getComputedStyle(node);
  if (style.display === 'none' || node.dataset.testid === 'stIconMaterial' || node.tagName === 'INPUT') return '';
  const extra = (where) => {
    const c = getComputedStyle(node, where).content;
    return c && c !== 'none' && c !== 'normal' ? JSON.parse(c) : '';
  };
  return extra('::before') + Array.from(node.childNodes).map(drawn).join('') + extra('::after') + ' ';
};
return Array.from(document.querySelectorAll(arguments[0])).map(e => drawn(e).replace(/\\s+/g, ' ').trim());
"""
UPLOADER = '[data-testid="stFileUploader"]'
STREAMLIT_ENGLISH = ("Upload", "Browse files", "Drag and drop", "per file", "MB", "YML", "Press Enter", "apply")


def drawn(driver, css: str) -> str:
    """What the page draws of the elements ``css`` selects, as one text."""
    return " | ".join(driver.execute_script(DRAWN, css))


def test_streamlits_own_english_is_danish_on_the_danish_page(app):
    """Streamlit has its uploader's texts, "Press Enter to apply" and its menu in English
    only; the Danish page draws them in Danish (its style), with the page's own upload
    limit, and the English page in English."""
    from selenium.webdriver.common.by import By

    from sim.apps.workshop.limits import limits
    url, cwd = app
    kb = limits().upload.max_bytes // 1024
    with browser.chromium(1400, 1400) as driver:
        driver.get(url)
        _wait(driver, lambda d: "Vælg fil" in drawn(d, UPLOADER), timeout=120)
        shown = drawn(driver, UPLOADER)
        driver.execute_script("""
            const zone = document.querySelector('[data-testid="stFileUploaderDropzone"]');
            const files = new DataTransfer();
            files.items.add(new File(['name: x'], 'x.yaml', {type: 'application/x-yaml'}));
            zone.dispatchEvent(new DragEvent('dragenter', {dataTransfer: files, bubbles: true}));""")
        dragging = _wait(driver, lambda d: (lambda t: t if "Træk" in t else False)(drawn(d, UPLOADER)), timeout=10)
        driver.execute_script("""document.querySelector('[data-testid="stFileUploaderDropzone"]')
            .dispatchEvent(new DragEvent('dragleave', {bubbles: true}));""")
        field = _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, f'input[aria-label="{CASELOAD}"]'))
        field.click()
        field.send_keys("0")
        typing = _wait(driver, lambda d: drawn(d, '[data-testid="InputInstructions"]'), timeout=10)
        menus = [m for m in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stMainMenuButton"]')
                 if m.is_displayed()]
        driver.find_element(By.XPATH, "//label[.//p[text()='English']]").click()
        english = _wait(driver, lambda d: (lambda t: t if "per file" in t else False)(drawn(d, UPLOADER)),
                        timeout=60)
    assert f"Vælg fil Højst {kb} KB pr. fil • YAML" in shown, shown
    assert "Træk en fil hertil" in dragging, dragging
    assert typing == "Tryk Enter for at bruge værdien", typing
    for text in (shown, dragging, typing):
        assert not [e for e in STREAMLIT_ENGLISH if e in text], text
    assert menus == []   # its items are English only
    assert f"Upload At most {kb} KB per file • YAML" in english, english
