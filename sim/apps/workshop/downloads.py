"""What a leader downloads from the page: the run's answer as tables in the leader's
language (Danish sheet and column names, organisations and outcomes by their names, never
a key of the configuration), as CSV files in a zip or one Excel workbook, under a
readable file name. The run folder keeps the full tables for researchers (``factsim``)."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from sim.apps.workshop.views import Run
from sim.output import capacity, report
from sim.output.words import METRICS, WORK_WORDS, noun, unit

WORDS = {
    "da": {"key": "Hovedtal", "levels": "Tal pr. organisering", "payers": "Hvem betaler", "capacity": "Kapacitet",
           "decisions": "Beslutninger", "municipalities": "Kommuner", "teams": "Teams",
           "assumptions": "Antagelser", "outcome": "Udfald", "unit": "Enhed", "organisation": "Organisering",
           "mean": "Gennemsnit", "lower": "Nedre grænse (95 %)", "upper": "Øvre grænse (95 %)",
           "change": "Ændring i %", "change_lower": "Ændring, nedre grænse (95 %)",
           "change_upper": "Ændring, øvre grænse (95 %)", "difference": "Forskel",
           "difference_lower": "Forskel, nedre grænse (95 %)", "difference_upper": "Forskel, øvre grænse (95 %)",
           "covers": "Intervallet dækker", "payer": "Betaler", "per_year": "kr. om året",
           "work": "Arbejde", "asked": "Bedt om i perioden", "lost": "Ikke givet i perioden",
           "lost_share": "Andel ikke givet (%)", "decision": "Beslutning", "share": "Andel af gennemløbene (%)",
           "runs": "Gennemløb", "municipality": "Kommune", "tables": "tabeller", "report": "rapport",
           "against": "mod", "noise": "simulationens egen tilfældighed",
           "draws": "usikkerheden om antagelserne og simulationens tilfældighed",
           "bed_days_fall": "færre sengedage", "bed_days_fall_by_threshold": "mindst {thr} % færre sengedage",
           "staff_hours_rise": "flere brugte personaletimer",
           "coercive_admissions_fall": "færre tvangsindlæggelser"},
    "en": {"key": "Key figures", "levels": "Figures per organisation", "payers": "Who pays", "capacity": "Capacity",
           "decisions": "Decisions", "municipalities": "Municipalities", "teams": "Teams",
           "assumptions": "Assumptions", "outcome": "Outcome", "unit": "Unit", "organisation": "Organisation",
           "mean": "Mean", "lower": "Lower limit (95 %)", "upper": "Upper limit (95 %)",
           "change": "Change in %", "change_lower": "Change, lower limit (95 %)",
           "change_upper": "Change, upper limit (95 %)", "difference": "Difference",
           "difference_lower": "Difference, lower limit (95 %)", "difference_upper": "Difference, upper limit (95 %)",
           "covers": "The interval covers", "payer": "Payer", "per_year": "DKK a year",
           "work": "Work", "asked": "Asked over the period", "lost": "Not given over the period",
           "lost_share": "Share not given (%)", "decision": "Decision", "share": "Share of the runs (%)",
           "runs": "Runs", "municipality": "Municipality", "tables": "tables", "report": "report",
           "against": "vs", "noise": "the simulation's own noise",
           "draws": "the uncertainty about the assumptions and the simulation's noise",
           "bed_days_fall": "fewer bed days", "bed_days_fall_by_threshold": "at least {thr} % fewer bed days",
           "staff_hours_rise": "more staff hours used", "coercive_admissions_fall": "fewer coercive admissions"},
}


def tables(folder: Path, lang: str = "da") -> dict[str, pd.DataFrame]:
    """The run's answer as named tables in ``lang``, in the order a leader reads them."""
    w = WORDS[lang]
    run = Run(folder)
    labels = run.labels(lang)
    out: dict[str, pd.DataFrame] = {}
    shown, covers = run.shown()
    if shown is not None:
        rows = []
        for metric in METRICS:
            for _, r in shown[shown.metric == metric].iterrows():
                rows.append({w["outcome"]: noun(metric, lang), w["unit"]: unit(metric, lang),
                             labels.get(r.baseline, r.baseline): r.baseline_mean,
                             labels.get(r.organisation, r.organisation): r.organisation_mean,
                             w["change"]: r.change_pct, w["change_lower"]: r.change_pct_ci_lower,
                             w["change_upper"]: r.change_pct_ci_upper,
                             w["covers"]: w["draws" if covers == "covers_draws" else "noise"]})
        out[w["key"]] = pd.DataFrame(rows)
    rows = []
    for metric in [*METRICS, "staff_fte_regional", "staff_fte_municipal", "staff_utilisation"]:
        for _, r in run.summary[run.summary.metric == metric].iterrows():
            k = 100.0 if metric == "staff_utilisation" else 1.0
            rows.append({w["organisation"]: labels.get(r.organisation, r.organisation),
                         w["outcome"]: noun(metric, lang) if metric != "staff_utilisation" else
                         report.TEXT[lang]["utilisation_noun"],
                         w["unit"]: unit(metric, lang) if metric != "staff_utilisation" else "%",
                         w["mean"]: k * r["mean"], w["lower"]: k * r.ci_lower, w["upper"]: k * r.ci_upper})
    out[w["levels"]] = pd.DataFrame(rows)
    payers = _payers(folder, run, lang)
    if payers is not None:
        out[w["payers"]] = payers
    out[w["capacity"]] = _capacity(run, lang)
    decisions = folder / "decisions.parquet"
    if decisions.is_file():
        d = pd.read_parquet(decisions)
        d = d[d.decision != "staff_hours_rise"]   # hours used are not a leader's decision
        thr = run.scenario.uncertainty.reduction_pct if run.scenario.uncertainty is not None else 10
        out[w["decisions"]] = pd.DataFrame({
            w["organisation"]: [labels.get(o, o) for o in d.organisation],
            w["decision"]: [w.get(x, x).format(thr=f"{thr:g}") for x in d.decision],
            w["share"]: 100 * d.probability, w["runs"]: d.draws})
    teams = folder / "team_summary.parquet"
    if teams.is_file():
        geo = folder / "geography.parquet"
        names = report.municipality_names(pd.read_parquet(geo)) if geo.is_file() else {}
        out[w["teams"]] = report._team_rows(pd.read_parquet(teams), folder / "capacity.parquet", names,
                                            run.scenario, run.scenario.results_years, lang)
    out[w["assumptions"]] = report.assumption_rows(folder, lang)
    return out


def _payers(folder: Path, run: Run, lang: str) -> pd.DataFrame | None:
    path = folder / "payer_comparison.parquet"
    if not path.is_file():
        return None
    w = WORDS[lang]
    labels = run.labels(lang)
    geo = folder / "geography.parquet"
    names = report.municipality_names(pd.read_parquet(geo)) if geo.is_file() else {}
    c = pd.read_parquet(path)
    if not len(c):
        return None
    base = labels.get(c.baseline.iloc[0], c.baseline.iloc[0])
    org = labels.get(c.organisation.iloc[0], c.organisation.iloc[0])
    return pd.DataFrame({
        w["organisation"]: [labels.get(o, o) for o in c.organisation],
        w["payer"]: [report.payer_name(p, names, lang) for p in c.payer],
        f"{base} ({w['per_year']})": c.baseline_mean,
        f"{org} ({w['per_year']})": c.organisation_mean,
        f"{w['difference']} ({w['per_year']})": c.difference, w["difference_lower"]: c.difference_ci_lower,
        w["difference_upper"]: c.difference_ci_upper,
        w["covers"]: [w["draws" if x == "draws" else "noise"] for x in c.covers]})


def _capacity(run: Run, lang: str) -> pd.DataFrame:
    """What each organisation's staff were asked for and could not give, kind by kind."""
    w = WORDS[lang]
    i = 0 if lang == "da" else 1
    labels = run.labels(lang)
    rows = []
    for org in run.manifest["organisations"]:
        for x in capacity.lost(run.summary, org):
            rows.append({w["organisation"]: labels.get(org, org), w["work"]: WORK_WORDS[x.kind][i],
                         w["asked"]: x.asked, w["lost"]: x.lost, w["lost_share"]: 100 * x.share})
    return pd.DataFrame(rows, columns=[w["organisation"], w["work"], w["asked"], w["lost"], w["lost_share"]])


def file_stem(folder: Path, lang: str = "da") -> str:
    """A readable file name for a run's downloads: the catchment and the organisations
    compared ("Silkeborg_Tværsektorielt-FACT-team_mod_Fragmenteret-indsats"), no id or path."""
    run = Run(folder)
    labels = run.labels(lang)
    base = run.manifest.get("baseline")
    study = [o for o in run.manifest["organisations"] if o != base]
    parts = [str(run.manifest.get("population") or "")]
    if study:
        parts.append(labels.get(study[0], study[0]))
    if base:
        parts += [WORDS[lang]["against"], labels.get(base, base)]
    stem = "_".join(re.sub(r"\s+", "-", p.strip()) for p in parts if p)
    return re.sub(r"[^\w\-æøåÆØÅ]+", "", stem) or "factsim"


def csv_zip(folder: Path, lang: str = "da") -> bytes:
    """The run's answer as CSV files in one zip (semicolons and decimal commas in Danish, as
    a Danish spreadsheet reads them)."""
    out = io.BytesIO()
    sep, decimal = (";", ",") if lang == "da" else (",", ".")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, table in tables(folder, lang).items():
            z.writestr(f"{name}.csv", table.to_csv(index=False, sep=sep, decimal=decimal))
    return out.getvalue()


def excel(folder: Path, lang: str = "da") -> bytes:
    """The run's answer as one Excel workbook, a sheet each (openpyxl)."""
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, table in tables(folder, lang).items():
            table.to_excel(writer, sheet_name=name[:31], index=False)
    return out.getvalue()
