"""What the workshop page shows of a finished run, made from the run folder's tables:
the key sentences (the report's own), the forest plot of the paired changes, the
trade-offs in staff and contacts, and saved scenarios side by side. Plain functions
returning HTML, tables and figures, so they are tested without a browser."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from sim.apps.workshop.runs import DRAWING
from sim.output import numbers
from sim.output.report import changes_for_sentences, key_block, levels, payer_block
from sim.output.run_folder import finished_manifest, saved_scenario
from sim.output.words import METRICS, keep_together, noun

# the report's look for its key figures: gains and costs side by side
STYLE = """<style>
.key-figure{font-size:1.05em;margin:.35em 0}.columns{display:flex;gap:2em;flex-wrap:wrap}
.columns>div{flex:1 1 380px}h3.gains{color:#009E73}h3.costs{color:#D55E00}h3.unclear{color:#555}
.warning{background:#fff3e0;border-left:6px solid #D55E00;padding:.6em .9em;margin:.8em 0;font-weight:600}
</style>"""
# Streamlit's own texts, which it has in English only (it has no translations): each is
# hidden (font-size 0, so it takes no room) and the page's word shown in its place, in the
# size Streamlit draws it. (selector of the element holding the text, the page's word, rem)
CHROME = (('[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p',
           "chrome_upload", .875),
          ('[data-testid="stFileUploaderDropzoneInstructions"] span', "chrome_upload_limit", .875),
          ('[data-testid="stFileUploaderDropzone"] > div:not([data-testid]) > span', "chrome_drop", .875),
          ('[data-testid="InputInstructions"] > span', "chrome_enter", .75),
          ('[data-testid="stStatusWidget"] button', "chrome_stop", .875),
          ('[data-testid="stStatusWidget"] button:disabled', "chrome_stopping", .875),
          ('[data-testid="stSkipToContent"]', "chrome_skip", 1.0))


def _css_text(text: str) -> str:
    """``text`` as a CSS string: every character but plain ASCII escaped."""
    return '"' + "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else f"\\{ord(c):06x} "
                         for c in text) + '"'


def chrome_style(texts: dict[str, str], upload_kb: int) -> str:
    """The page's style that shows Streamlit's own English texts (the uploader's button,
    size limit and drop text, "Press Enter to apply", the Stop button of a run, the skip
    link) in the page's words ``texts``, and hides the English-only menu; the uploader's
    limit is ``upload_kb``, the page's own (Streamlit's 1 MB is never reached)."""
    rules = []
    for selector, word, rem in CHROME:
        shown = texts[word].format(limit=upload_kb)
        rules.append(f"{selector}{{font-size:0}}{selector}::after{{content:{_css_text(shown)};font-size:{rem}rem}}")
    # the menu (Print, Record screen, "Made with Streamlit") is English only; the toolbar
    # stays for the running man and Stop (toolbarMode "minimal" would hide them too)
    rules.append('[data-testid="stMainMenu"]{display:none}')
    return "<style>\n" + "\n".join(rules) + "\n</style>"


# the trade-offs a leader weighs against the gains: (metric, the page's word, shown as %). Staff
# are what is paid (FTE by sector) and how much of the paid time is used; hours used are
# never shown as a saving
TRADEOFFS = (("staff_fte_regional", "fte_regional", False), ("staff_fte_municipal", "fte_municipal", False),
             ("staff_utilisation", "utilisation", True), ("contacts_lost_routine", "contacts_lost", False),
             ("contacts_lost_inreach", "inreach_lost", False), ("contacts_lost_outreach", "outreach_lost", False),
             ("admissions_waited", "bed_waits", False), ("bed_wait_days", "bed_wait_days", False),
             ("scaleups_refused", "scaleups_refused", False), ("driving_hours", "driving", False))
# the changes saved scenarios are compared on, side by side
SIDE_BY_SIDE = ("bed_days_per_citizen_year", "coercive_admissions_per_citizen_year", "admissions_per_citizen_year",
                "days_disengaged_per_citizen_year", "staff_fte_regional", "staff_fte_municipal",
                "contacts_lost_routine", "bed_wait_days", "driving_hours", "scaleups_refused")


class Run:
    """A finished run folder as the page reads it: its small tables loaded once; of the
    event log only what the pathways draw (:meth:`pathway_events`), so a redraw of the
    page does not read the whole log again."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        manifest = finished_manifest(self.folder)
        if manifest is None:   # the page shows finished runs only
            raise ValueError(f"run {self.folder.name}: not finished")
        self.manifest = manifest
        self.scenario = saved_scenario(self.folder)
        self.summary = pd.read_parquet(self.folder / "summary.parquet")
        self.base = self.manifest.get("baseline")
        comparison = self.folder / "comparison.parquet"
        self.comparison = pd.read_parquet(comparison) if comparison.is_file() else None

    @property
    def has_draws(self) -> bool:
        """Whether the run's intervals cover the parameter draws (the report's uncertainty)."""
        return (self.folder / "uncertainty_summary.parquet").is_file()

    def uncertainty(self, lang: str) -> str:
        """The report's section on the uncertainty about the assumptions (the change in bed
        days over the draws, and the decision probabilities with the draws they rest on)."""
        from sim.output.report import uncertainty_block

        if not self.has_draws or not (self.folder / "decisions.parquet").is_file():
            return ""
        return STYLE + keep_together(uncertainty_block(self.folder, self.scenario, self.labels(lang), lang))

    @property
    def has_events(self) -> bool:
        """Whether the run kept its event log (event_log=true)."""
        return (self.folder / "events.parquet").is_file()

    def pathway_events(self, citizens: int, replication: int = 0) -> pd.DataFrame | None:
        """The events of the citizens the pathways show, and no others: of one replication,
        those present from the start, sampled as :func:`pathways.sample` samples them (so
        the animation made from these events shows the same citizens as from the whole
        log). None without an event log."""
        from sim.apps.workshop import pathways

        path = self.folder / "events.parquet"
        if not path.is_file():
            return None
        present = pd.read_parquet(path, columns=["organisation", "replication", "citizen", "time", "event"],
                                  filters=[("replication", "==", replication), ("event", "==", "enter"),
                                           ("time", "<=", 0.0)])
        if present.empty:
            return present
        chosen = pathways.sample(present, citizens, self.scenario.seed, replication)
        return pd.read_parquet(path, filters=[("replication", "==", replication), ("citizen", "in", chosen)])

    def labels(self, lang: str) -> dict[str, str]:
        """Organisation name -> label in ``lang``."""
        return self.scenario.labels(lang)

    def shown(self) -> tuple[pd.DataFrame | None, str]:
        """The changes the key sentences state and what their intervals cover (as the report)."""
        if self.comparison is None or self.base is None:
            return None, "covers_noise"
        return changes_for_sentences(self.folder, self.comparison, self.base)

    def key_sentences(self, lang: str) -> str:
        """The report's key figures (gains and costs side by side) as HTML."""
        shown, covers = self.shown()
        if shown is None:
            return ""
        return STYLE + keep_together(key_block(self.folder, self.scenario, self.summary, shown, covers, lang))

    def payers(self, lang: str) -> str:
        """Who pays, who saves (the report's own table and sentence) as HTML; empty without money."""
        return STYLE + keep_together(payer_block(self.folder, self.scenario, lang))

    def forest_plot(self, lang: str) -> bytes:
        """The forest plot of the paired changes the sentences state, as PNG bytes."""
        from sim.output import plots

        shown, _ = self.shown()
        with DRAWING, tempfile.TemporaryDirectory() as tmp:
            path = plots.changes(shown, self.labels(lang), Path(tmp) / "changes.png", list(METRICS), lang)
            return path.read_bytes()

    def tradeoffs(self, lang: str, texts: dict[str, str]) -> pd.DataFrame:
        """Staff paid (FTE by sector), the share of their paid time in use, contacts lost by
        kind of work, waits for a bed, refused scale-ups and driving per organisation, mean
        and 95 % interval in ``lang``."""
        labels = self.labels(lang)
        rows = []
        for metric, word, percent in TRADEOFFS:
            shown = levels(self.summary, metric, self.manifest["organisations"], labels, lang, percent)
            rows.append({texts["outcome"]: texts[word],
                         **{org: f"{text} %" if percent else text for org, text in shown.items()}})
        return pd.DataFrame(rows)


def choices_text(folder: Path, lang: str, texts: dict[str, str]) -> str:
    """What a saved scenario chose, in words: its catchment, organisations, uncertainty and
    every lever moved, in the lever's units (never the command line's overrides)."""
    from sim.apps.workshop import levers
    from sim.output import words

    run = Run(folder)
    labels = run.labels(lang)
    settings = levers.settings(run.scenario)   # which configuration keys each lever writes
    parts = [words.value(run.manifest.get("population") or "", lang),
             " / ".join(labels.get(o, o) for o in reversed(run.manifest["organisations"]))]
    for override in run.manifest.get("overrides") or []:
        key, _, value = override.lstrip("+~").partition("=")
        if key == "uncertainty" and f"uncertainty_{value}" in texts:
            parts.append(texts[f"uncertainty_{value}"].split(" (")[0])
            continue
        if key.split("@")[0] in ("population", "organisation", "replications", "seed", "plots") or "." not in key:
            continue
        setting = next((x for x in settings if key in x.targets), None)
        lever = setting.lever if setting is not None else None
        try:
            number = float(value)
        except ValueError:
            number = None
        if lever is not None and number is not None:
            text = f"{lever.name(lang)}: {levers.shown_text(number * lever.scale, lever, lang)} {lever.unit(lang)}"
        else:
            text = f"{words.parameter(key, lang)}: {words.value(number if number is not None else value, lang)}"
        if text not in parts:
            parts.append(text)
    return "; ".join(p for p in parts if p)


def side_by_side(saved: list[tuple[str, Path]], lang: str, texts: dict[str, str]) -> pd.DataFrame:
    """Saved scenarios in columns: what each chose, in words, then its change against its
    comparator on the key outcomes (the interval as the scenario's run states it)."""
    table = pd.DataFrame({texts["outcome"]: [texts["compare_settings"]] + [noun(m, lang) for m in SIDE_BY_SIDE]})
    for name, folder in saved:
        run = Run(folder)
        shown, _ = run.shown()
        column = [choices_text(folder, lang, texts)]
        for metric in SIDE_BY_SIDE:
            rows = shown[shown.metric == metric] if shown is not None else pd.DataFrame()
            column.append(change_cell(rows.iloc[0], lang) if len(rows) else "")
        table[name] = column
    return table


def change_cell(row: pd.Series, lang: str) -> str:
    """A change in % with its interval; from a baseline of zero, the levels ("fra 0 til 4.100")."""
    if pd.isna(row.change_pct):
        if pd.isna(row.get("baseline_mean")) or pd.isna(row.get("organisation_mean")):
            return numbers.WORDS[lang]["none"]
        return numbers.from_to(row.baseline_mean, row.organisation_mean, lang)
    return numbers.change(row.change_pct, row.change_pct_ci_lower, row.change_pct_ci_upper, lang)


def edits(table: pd.DataFrame, edited: pd.DataFrame) -> list[str]:
    """The overrides of the figures changed in the catchment's table (municipality, then
    its fields): a whole count stays whole; an emptied cell keeps the file's figure."""
    out = []
    for (_, old), (_, new) in zip(table.iterrows(), edited.iterrows()):
        for name in table.columns[1:]:
            if pd.isna(new[name]) or new[name] == old[name]:
                continue
            value = float(new[name])
            text = str(int(value)) if name in ("adults", "residents") and value.is_integer() else repr(value)
            out.append(f"++population.municipalities.{old.municipality}.{name}={text}")
    return out
