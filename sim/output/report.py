"""The workshop report: one self-contained HTML file from a run or sweep folder.

    factsim-report outputs/latest                 # Danish (default)
    factsim-report outputs/latest --lang en -o report_en.html

Everything comes from the folder's tables (summary, comparison, provenance) and
plots; images are embedded, so the file opens offline and can be mailed. Key
figures are written in plain words with their 95 % intervals, and the assumptions
are listed with their sources from the run's provenance.
"""
from __future__ import annotations

import argparse
import base64
import html
from pathlib import Path

import pandas as pd

from sim.config.errors import command, exit_bad_input
from sim.config.params import Scenario
from sim.experiments.results import interval_text
from sim.output.files import read_manifest, write_text
from sim.output.run_folder import MANIFEST, SWEEP_MANIFEST, finished_manifest, saved_scenario

TEXT = {
    "da": {
        "title": "Hvad betyder organiseringen for borgernes forløb?",
        "question": ("Spørgsmålet: Hvis de samme borgere med svær psykisk sygdom blev hjulpet af "
                     "{org} i stedet for {base}, hvad ville der så ske med sengedage, indlæggelser, "
                     "tvang, frafald og personaletid? Svaret er en simulation, ikke en måling."),
        "compared": "Organiseringer der sammenlignes",
        "key": "Hovedtal",
        "fewer": "færre", "more": "flere",
        "sentence": "Med {org}: {pct} % {dir} {noun} (95 %-interval {lo}-{hi} %) end med {base}.",
        "no_interval": ("Med {org}: {pct} % {dir} {noun} end med {base} (interval ikke tilgængeligt: "
                        "det kræver mindst to replikationer)."),
        "undefined": "Med {org}: ændringen i {noun} er ikke defineret ({base} har ingen).",
        "unclear": ("Med {org}: ingen sikker forskel i {noun} i forhold til {base} "
                    "({pct:+} %, 95 %-interval {lo:+} til {hi:+} %)."),
        "table": "Tal pr. organisering (gennemsnit og 95 %-interval over replikationer)",
        "outcome": "Udfald", "plots": "Figurer", "assumptions": "Antagelser og kilder",
        "parameter": "Parameter", "value": "Værdi", "source": "Kilde", "override": "Ændret ved kørslen",
        "method": ("{pop}: {reps} replikationer à {years:g} år (efter {warm:g} års indsvingning), "
                   "frø {seed}. Alle organiseringer møder de samme borgere med de samme "
                   "tilfældigheder (common random numbers), så forskellene skyldes organiseringen."),
        "teams": "Teams", "staff": "årsværk pr. 100 borgere",
        "sweep": "Parameterstudie", "points": "punkter",
        "sweep_intro": "Et parameterstudie over {swept}: {n} punkter, hvert med sine replikationer.",
        "uncertainty": "Usikkerhed om antagelserne",
        "uncertainty_intro": ("Tallene ovenfor dækker kun simulationens egen tilfældighed. Her er også "
                              "usikkerheden om {n} antagelser regnet med: {draws} sæt af værdier trukket "
                              "fra deres intervaller, hvert med {reps} replikationer."),
        "uncertainty_sentence": ("Med {org}: {pct:+d} % sengedage i gennemsnit; i 95 % af trækkene "
                                 "mellem {lo:+d} og {hi:+d} %."),
        "drivers": ("Hvilke antagelser flytter ændringen i sengedage mest (rangkorrelation mellem "
                    "den trukne værdi og ændringen; fortegn: samme eller modsat retning)"),
        "probabilities": ("Sandsynligheden for færre sengedage er {fall} %; for mindst {thr:g} % færre "
                          "sengedage {fall_thr} %; for flere personaletimer {staff} %; for færre "
                          "tvangsindlæggelser {coercion} %."),
    },
    "en": {
        "title": "What does the organisation of care do to citizens' pathways?",
        "question": ("The question: if the same citizens with severe mental illness were served by "
                     "{org} instead of {base}, what would happen to bed days, admissions, coercion, "
                     "drop-out and staff time? The answer is a simulation, not a measurement."),
        "compared": "Organisations compared",
        "key": "Key figures",
        "fewer": "fewer", "more": "more",
        "sentence": "With {org}: {pct} % {dir} {noun} (95 % interval {lo}-{hi} %) than with {base}.",
        "no_interval": ("With {org}: {pct} % {dir} {noun} than with {base} (interval not available: "
                        "it needs at least two replications)."),
        "undefined": "With {org}: the change in {noun} is not defined ({base} has none).",
        "unclear": ("With {org}: no clear difference in {noun} compared with {base} "
                    "({pct:+} %, 95 % interval {lo:+} to {hi:+} %)."),
        "table": "Figures per organisation (mean and 95 % interval across replications)",
        "outcome": "Outcome", "plots": "Plots", "assumptions": "Assumptions and sources",
        "parameter": "Parameter", "value": "Value", "source": "Source", "override": "Changed for this run",
        "method": ("{pop}: {reps} replications of {years:g} years (after {warm:g} years of warm-up), "
                   "seed {seed}. Every organisation meets the same citizens with the same luck "
                   "(common random numbers), so differences come from the organisation."),
        "teams": "Teams", "staff": "FTE per 100 citizens",
        "sweep": "Parameter sweep", "points": "points",
        "sweep_intro": "A sweep over {swept}: {n} points, each with its replications.",
        "uncertainty": "Uncertainty about the assumptions",
        "uncertainty_intro": ("The figures above cover only the simulation's own noise. Here the "
                              "uncertainty about {n} assumptions is included too: {draws} sets of values "
                              "drawn from their ranges, each with {reps} replications."),
        "uncertainty_sentence": ("With {org}: {pct:+d} % bed days on average; in 95 % of the draws "
                                 "between {lo:+d} and {hi:+d} %."),
        "drivers": ("Which assumptions move the change in bed days most (rank correlation between "
                    "the value drawn and the change; sign: same or opposite direction)"),
        "probabilities": ("The probability of fewer bed days is {fall} %; of at least {thr:g} % fewer "
                          "bed days {fall_thr} %; of more staff hours {staff} %; of fewer coercive "
                          "admissions {coercion} %."),
    },
}

# metric -> (Danish noun, English noun, unit da, unit en)
METRICS = {
    "bed_days_per_citizen_year": ("sengedage", "bed days", "pr. borger-år", "per citizen-year"),
    "admissions_per_citizen_year": ("indlæggelser", "admissions", "pr. borger-år", "per citizen-year"),
    "coercive_admissions_per_citizen_year": ("tvangsindlæggelser", "coercive admissions",
                                             "pr. borger-år", "per citizen-year"),
    "coercive_bed_days_per_citizen_year": ("sengedage under tvang", "coercive bed days",
                                           "pr. borger-år", "per citizen-year"),
    "bed_blocking_days_per_citizen_year": ("færdigbehandlingsdage", "bed-blocking days",
                                           "pr. borger-år", "per citizen-year"),
    "days_disengaged_per_citizen_year": ("dage uden kontakt", "days out of contact",
                                         "pr. borger-år", "per citizen-year"),
    "handovers": ("overgange mellem teams", "hand-overs", "i alt", "in total"),
    "scaleups_refused": ("afviste opskaleringer", "refused scale-ups", "i alt", "in total"),
    "staff_hours_per_citizen_year": ("personaletimer", "staff hours", "pr. borger-år",
                                     "per citizen-year"),
    "cost_per_citizen_year": ("udgifter", "cost", "pr. borger-år", "per citizen-year"),
}

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;font-size:19px;line-height:1.45;color:#111}
h1{font-size:2em}h2{margin-top:1.6em;border-bottom:2px solid #0072B2}
.key-figure{font-size:1.15em;margin:.4em 0}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#eef4fa}img{max-width:100%;margin:1em 0;border:1px solid #ddd}
.small{font-size:.8em;color:#333}
"""


class ReportError(Exception):
    """A folder the report cannot be made from."""


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def _table(df: pd.DataFrame) -> str:
    return df.to_html(index=False, escape=True, border=0, na_rep="")


def key_figure(row: pd.Series, labels: dict[str, str], lang: str) -> tuple[str, dict]:
    """One sentence for one metric's paired change, and the numbers it states."""
    t = TEXT[lang]
    noun = METRICS[row["metric"]][0 if lang == "da" else 1]
    org, base = labels[row["organisation"]], labels[row["baseline"]]
    if pd.isna(row["change_pct"]):   # nothing in the baseline: a change in % is not defined
        return t["undefined"].format(org=org, base=base, noun=noun), {"pct": None, "lo": None, "hi": None}
    pct = round(float(row["change_pct"]))
    if pd.isna(row["change_pct_ci_lower"]) or pd.isna(row["change_pct_ci_upper"]):   # one replication
        text = t["no_interval"].format(org=org, base=base, noun=noun, pct=abs(pct),
                                       dir=t["fewer"] if pct < 0 else t["more"])
        return text, {"pct": pct, "lo": None, "hi": None}
    lo, hi = round(float(row["change_pct_ci_lower"])), round(float(row["change_pct_ci_upper"]))
    if lo < 0 < hi or (lo == 0 and hi == 0):
        text = t["unclear"].format(org=org, base=base, noun=noun, pct=pct, lo=lo, hi=hi)
        return text, {"pct": pct, "lo": lo, "hi": hi}
    fewer = pct < 0
    shown = (abs(pct), min(abs(lo), abs(hi)), max(abs(lo), abs(hi)))
    text = t["sentence"].format(org=org, base=base, noun=noun, pct=shown[0],
                                dir=t["fewer"] if fewer else t["more"], lo=shown[1], hi=shown[2])
    return text, {"pct": pct, "lo": lo, "hi": hi}


def _organisation_block(scenario: Scenario, lang: str) -> str:
    t = TEXT[lang]
    labels = scenario.labels(lang)
    parts = []
    for org in scenario.organisations:
        teams = [f"{html.escape(team.label)} "
                 f"({sum(m.fte_per_100 for m in team.staffing.values()):.1f} {t['staff']})"
                 for team in org.teams.values()]
        parts.append(f"<li><b>{html.escape(labels[org.name])}</b>: {t['teams']}: {'; '.join(teams)}</li>")
    return "<ul>" + "".join(parts) + "</ul>"


def run_report(folder: Path, lang: str) -> str:
    """The report page of one run folder."""
    t = TEXT[lang]
    manifest = finished_manifest(folder)
    scenario = saved_scenario(folder)
    summary = pd.read_parquet(folder / "summary.parquet")
    labels = scenario.labels(lang)
    base = manifest.get("baseline")
    orgs = manifest["organisations"]
    body = [f"<h1>{t['title']}</h1>"]
    study = [o for o in orgs if o != base]
    if base and study:
        body.append(f"<p>{html.escape(t['question'].format(org=labels[study[0]], base=labels[base]))}</p>")
    body.append(f"<h2>{t['compared']}</h2>{_organisation_block(scenario, lang)}")
    method = t["method"].format(pop=manifest["population"], reps=manifest["replications"],
                                years=scenario.results_years, warm=scenario.warmup_years, seed=manifest["seed"])
    body.append(f"<p class='small'>{html.escape(method)}</p>")
    comparison_file = folder / "comparison.parquet"
    if base and comparison_file.is_file():
        comparison = _changes_for_sentences(folder, pd.read_parquet(comparison_file), base)
        body.append(f"<h2>{t['key']}</h2>")
        for metric in METRICS:
            for _, row in comparison[comparison.metric == metric].iterrows():
                text, nums = key_figure(row, labels, lang)
                body.append(
                    f"<p class='key-figure' data-metric='{metric}' data-organisation='{row['organisation']}' "
                    f"data-pct='{nums['pct']}' data-lo='{nums['lo']}' data-hi='{nums['hi']}'>"
                    f"{html.escape(text)}</p>")
    rows = []
    for metric, words in METRICS.items():
        row = {t["outcome"]: f"{words[0 if lang == 'da' else 1]} ({words[2 if lang == 'da' else 3]})"}
        for org in orgs:
            s = summary[(summary.organisation == org) & (summary.metric == metric)]
            if len(s):
                r = s.iloc[0]
                row[labels.get(org, org)] = interval_text(r["mean"], r["ci_lower"], r["ci_upper"])
        rows.append(row)
    if (folder / "uncertainty_summary.parquet").is_file() and (folder / "decisions.parquet").is_file():
        body.append(_uncertainty_block(folder, scenario, labels, t))
    body.append(f"<h2>{t['table']}</h2>{_table(pd.DataFrame(rows))}")
    body.append(f"<h2>{t['plots']}</h2>")
    body += [_img(p) for p in sorted((folder / "plots").glob("*.png"))]
    body.append(_assumptions(folder, t))
    return _page(t["title"], body, lang)


def _changes_for_sentences(folder: Path, comparison: pd.DataFrame, base: str) -> pd.DataFrame:
    """The changes the key sentences state: with parameter draws, the interval over the
    draws (what is not known about the parameters and the simulation's noise), never the
    narrower interval of the noise alone; otherwise the paired comparison."""
    unc_file = folder / "uncertainty_summary.parquet"
    if not unc_file.is_file():
        return comparison
    unc = pd.read_parquet(unc_file).rename(columns={"change_pct_lower": "change_pct_ci_lower",
                                                    "change_pct_upper": "change_pct_ci_upper"})
    return unc.assign(baseline=base)


def _uncertainty_block(folder: Path, scenario: Scenario, labels: dict[str, str], t: dict) -> str:
    """The change in bed days across parameter draws, and the decision probabilities."""
    unc = pd.read_parquet(folder / "uncertainty_summary.parquet")
    decisions = pd.read_parquet(folder / "decisions.parquet")
    u = scenario.uncertainty
    parts = [f"<h2>{t['uncertainty']}</h2>",
             "<p>" + html.escape(t["uncertainty_intro"].format(n=len(u.names), draws=u.draws,
                                                              reps=scenario.replications)) + "</p>"]
    for org, g in unc[unc.metric == "bed_days_per_citizen_year"].groupby("organisation", sort=False):
        r = g.iloc[0]
        nums = {"pct": round(r.change_pct), "lo": round(r.change_pct_lower), "hi": round(r.change_pct_upper)}
        p = decisions[decisions.organisation == org].set_index("decision").probability
        probs = {k: round(100 * float(p.get(k, float("nan")))) for k in
                 ("bed_days_fall", "bed_days_fall_by_threshold", "staff_hours_rise", "coercive_admissions_fall")}
        text = t["uncertainty_sentence"].format(org=labels.get(org, org), **nums)
        prob = t["probabilities"].format(fall=probs["bed_days_fall"], thr=u.reduction_pct,
                                         fall_thr=probs["bed_days_fall_by_threshold"],
                                         staff=probs["staff_hours_rise"], coercion=probs["coercive_admissions_fall"])
        parts.append(f"<p class='key-figure' data-uncertainty='{org}' data-probability-fall='{probs['bed_days_fall']}'>"
                     f"{html.escape(text)} {html.escape(prob)}</p>")
    if (folder / "uncertainty_drivers.parquet").is_file():
        d = pd.read_parquet(folder / "uncertainty_drivers.parquet")
        d = d[d["rank"] <= 5][["organisation", "parameter", "spearman_rho"]].copy()
        d["organisation"] = [labels.get(o, o) for o in d.organisation]
        d["spearman_rho"] = d.spearman_rho.round(2)
        parts.append(f"<p class='small'>{html.escape(t['drivers'])}</p><div class='small'>{_table(d)}</div>")
    return "\n".join(parts)


def sweep_report(folder: Path, lang: str) -> str:
    """The report page of a merged sweep folder."""
    t = TEXT[lang]
    info = read_manifest(folder, SWEEP_MANIFEST)
    summary = pd.read_parquet(folder / "sweep_summary.parquet")
    body = [f"<h1>{t['title']}</h1>", f"<h2>{t['sweep']}</h2>",
            "<p>" + html.escape(t["sweep_intro"].format(swept=", ".join(info["swept"]) or "-",
                                                        n=len(info["finished"]))) + "</p>"]
    keep = summary[summary.metric.isin(list(METRICS))].copy()
    keep["mean (95 %)"] = [interval_text(m, lo, hi) for m, lo, hi in
                           zip(keep["mean"], keep["ci_lower"], keep["ci_upper"])]
    cols = [c for c in keep.columns if c not in ("n", "mean", "ci_lower", "ci_upper")]
    body.append(_table(keep[cols]))
    body.append(f"<h2>{t['plots']}</h2>")
    body += [_img(p) for p in sorted((folder / "plots").glob("*.png"))]
    first = folder / info["finished"][0]
    if (first / "provenance.parquet").is_file():
        body.append(_assumptions(first, t))
    return _page(t["title"], body, lang)


def _assumptions(folder: Path, t: dict) -> str:
    prov = pd.read_parquet(folder / "provenance.parquet").rename(columns={
        "parameter": t["parameter"], "value": t["value"], "source": t["source"],
        "override": t["override"]})
    return f"<h2>{t['assumptions']}</h2><div class='small'>{_table(prov)}</div>"


def _page(title: str, body: list[str], lang: str) -> str:
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
            + "\n".join(body) + "</body></html>")


def make_report(folder: Path, lang: str = "da", out: Path | None = None) -> Path:
    """Write the report of ``folder`` (a run or a sweep) and return its path; never half-written."""
    folder = Path(folder)
    if lang not in TEXT:
        raise ReportError(f"--lang {lang}: unknown language; allowed: {', '.join(TEXT)}")
    if finished_manifest(folder) is not None:
        page = run_report(folder, lang)
    elif read_manifest(folder, SWEEP_MANIFEST) is not None:
        page = sweep_report(folder, lang)
    elif (folder / MANIFEST).exists() or (folder / SWEEP_MANIFEST).exists():
        raise ReportError(f"{folder}: unfinished, or changed since it was written (its {MANIFEST} or "
                          f"{SWEEP_MANIFEST} does not match its files); run it again")
    else:
        raise ReportError(f"{folder}: no finished run or merged sweep here (no {MANIFEST} or "
                          f"{SWEEP_MANIFEST}); run 'make run' or 'factsim-merge <sweep folder>' first")
    out = Path(out) if out else folder / f"report_{lang}.html"
    write_text(out, page)  # never a half-written report under the final name
    return out


@command("factsim-report")
def main(argv: list[str] | None = None) -> None:
    """The factsim-report command."""
    ap = argparse.ArgumentParser(prog="factsim-report", description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="a run folder (e.g. outputs/latest) or a sweep folder")
    ap.add_argument("--lang", default="da", help="da (default) or en")
    ap.add_argument("-o", "--out", type=Path, help="where to write (default: <folder>/report_<lang>.html)")
    args = ap.parse_args(argv)
    try:
        out = make_report(args.folder, args.lang, args.out)
    except ReportError as err:
        exit_bad_input("factsim-report", err)
    print(f"Report: {out}")


if __name__ == "__main__":
    main()
