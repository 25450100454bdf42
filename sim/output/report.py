"""The workshop report: one self-contained HTML file from a run or sweep folder.

    factsim-report outputs/latest                 # Danish (default)
    factsim-report outputs/latest --lang en -o report_en.html

Everything comes from the folder's tables (summary, comparison, timeseries, events,
provenance). A run's figures are drawn from those tables in the report's language and
embedded, so the file opens offline and can be mailed. Key figures are written in plain
words with their 95 % intervals, and the assumptions are listed with their sources from
the run's provenance.
"""
from __future__ import annotations

import argparse
import base64
import html
import re
import tempfile
from pathlib import Path

import pandas as pd

from sim.config.errors import command, exit_bad_input
from sim.config.params import Scenario
from sim.experiments.uncertainty import as_comparison
from sim.output import capacity, numbers, words
from sim.output.files import read_manifest, write_text
from sim.output.run_folder import MANIFEST, SWEEP_MANIFEST, finished_manifest, saved_scenario
from sim.output.words import (
    ASSUMPTIONS,
    FIGURE,
    LANGUAGES,
    METRICS,
    STUDY_WORDS,
    TEXT,
    UTILISATION,
    WORK_WORDS,
    noun,
    unit,
)

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;font-size:19px;line-height:1.45;color:#111}
h1{font-size:2em}h2{margin-top:1.6em;border-bottom:2px solid #0072B2}
.key-figure{font-size:1.15em;margin:.4em 0}
.columns{display:flex;gap:2em;flex-wrap:wrap}.columns>div{flex:1 1 420px}
h3.gains{color:#009E73}h3.costs{color:#D55E00}h3.unclear{color:#555}h3.staff{color:#333}
.warning{background:#fff3e0;border-left:6px solid #D55E00;padding:.6em .9em;margin:.8em 0;font-weight:600}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}
td,th{border:1px solid #bbb;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#eef4fa}img{max-width:100%;margin:1em 0;border:1px solid #ddd}
.small{font-size:.8em;color:#333}
"""


class ReportError(Exception):
    """A folder the report cannot be made from."""


def _img(path: Path, alt: str | None = None) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(alt or path.stem)}" src="data:image/png;base64,{data}">'


def _table(df: pd.DataFrame) -> str:
    return df.to_html(index=False, escape=True, border=0, na_rep="")


def _levels_text(row: pd.Series, lang: str) -> tuple[str, str, int]:
    """The baseline's and the organisation's means of a change's row in ``lang``, with
    enough decimals to tell them apart (and none for counts over the period)."""
    b, o = float(row["baseline_mean"]), float(row["organisation_mean"])
    d = 0 if unit(row["metric"], "en") == "over the period" else numbers.decimals_for(b, o)
    return numbers.number(b, lang, d), numbers.number(o, lang, d), d


def key_figure(row: pd.Series, labels: dict[str, str], lang: str) -> tuple[str, dict]:
    """One sentence for one metric's paired change, and the numbers it states (``group``:
    gains, costs or unclear; every metric is one where less is better). A change from
    zero has no change in %: it is stated as levels ("from 0 to 4,100"), with the
    interval of the difference deciding its group."""
    t = TEXT[lang]
    word = noun(row["metric"], lang)
    org, base = labels[row["organisation"]], labels[row["baseline"]]
    has_levels = {"baseline_mean", "organisation_mean"} <= set(row.index) and not (
        pd.isna(row["baseline_mean"]) or pd.isna(row["organisation_mean"]))
    if pd.isna(row["change_pct"]):   # nothing in the baseline: levels, not a change in %
        return _from_zero(row, word, lang, has_levels)
    pct = round(float(row["change_pct"]))
    fmt = lambda v: numbers.number(abs(v), lang, 0)  # noqa: E731  (whole %, in the language)
    if pd.isna(row["change_pct_ci_lower"]) or pd.isna(row["change_pct_ci_upper"]):   # one replication
        text = t["no_interval"].format(org=org, base=base, noun=word, pct=fmt(pct),
                                       dir=t["fewer"] if pct < 0 else t["more"])
        return text, {"pct": pct, "lo": None, "hi": None, "group": "unclear"}
    lo, hi = round(float(row["change_pct_ci_lower"])), round(float(row["change_pct_ci_upper"]))
    if lo < 0 < hi or (lo == 0 and hi == 0) or (lo <= 0 <= hi):
        sig = lambda v: numbers.number(v, lang, 0, signed=True)  # noqa: E731
        text = t["unclear"].format(org=org, base=base, noun=word, pct=sig(pct), lo=sig(lo), hi=sig(hi))
        return text, {"pct": pct, "lo": lo, "hi": hi, "group": "unclear"}
    fewer = pct < 0
    levels = ""
    if has_levels:
        b, o, _ = _levels_text(row, lang)
        levels = t["levels"].format(base=b, org=o, unit=unit(row["metric"], lang))
    shown = (abs(pct), min(abs(lo), abs(hi)), max(abs(lo), abs(hi)))
    text = t["sentence"].format(org=org, base=base, noun=word, pct=fmt(shown[0]),
                                dir=t["fewer"] if fewer else t["more"], lo=fmt(shown[1]),
                                hi=fmt(shown[2]), levels=levels)
    return text, {"pct": pct, "lo": lo, "hi": hi, "group": "gains" if fewer else "costs"}


def _from_zero(row: pd.Series, word: str, lang: str, has_levels: bool) -> tuple[str, dict]:
    """A change whose baseline is zero, stated as levels with the interval of the difference."""
    t = TEXT[lang]
    nums = {"pct": None, "lo": None, "hi": None, "group": "unclear"}
    if not has_levels:
        return t["none_either"].format(noun=word), nums
    b, o, d = _levels_text(row, lang)
    if float(row["organisation_mean"]) == 0 and float(row["baseline_mean"]) == 0:
        return t["none_either"].format(noun=word), nums
    lo, hi = (row.get(k, float("nan")) for k in ("difference_ci_lower", "difference_ci_upper"))
    if pd.isna(lo) or pd.isna(hi):
        lo = hi = float(row["organisation_mean"]) - float(row["baseline_mean"])
    lo, hi = float(lo), float(hi)
    nums["group"] = "costs" if lo > 0 else "gains" if hi < 0 else "unclear"
    text = t["from_zero"].format(noun=word[:1].upper() + word[1:], base=b, org=o, unit=unit(row["metric"], lang),
                                 lo=numbers.number(lo, lang, d), hi=numbers.number(hi, lang, d))
    return text, nums


def key_figures(comparison: pd.DataFrame, summary: pd.DataFrame, labels: dict[str, str],
                lang: str, covers: str, teams: pd.DataFrame | None = None,
                threshold: float = capacity.DEFAULT_OVERLOAD, team_names: dict[str, str] | None = None) -> str:
    """The key figures as gains and costs side by side, then what shows no clear difference,
    then the staff paid and their use of time. Capacity counts as a cost: an overloaded
    team (``teams``: the run's team summary; ``threshold``: the share of paid hours above
    which a team is overloaded) and the contacts lost for want of staff time stand first
    among the costs, and a warning heads the figures."""
    t = TEXT[lang]
    names = team_names or {}
    parts = []
    warned = set()
    for org, rows in comparison.groupby("organisation", sort=False):
        base = rows["baseline"].iloc[0]
        for who in (base, org):   # the comparator's overload is a warning too
            for team in capacity.overloaded(teams, summary, who, threshold, names):
                if (who, team.team) not in warned:
                    warned.add((who, team.team))
                    parts.append(f"<div class='warning' role='alert' data-organisation='{who}'>"
                                 + html.escape(t["warning"].format(
                                     team=_team_of(team.team, labels.get(who, who), lang),
                                     use=capacity.percent(team.utilisation, lang),
                                     limit=capacity.percent(threshold, lang))) + "</div>")
    for org, rows in comparison.groupby("organisation", sort=False):
        base = rows["baseline"].iloc[0]
        groups: dict[str, list[str]] = {"gains": [], "costs": [], "unclear": []}
        for group, text, metric in _capacity_figures(rows, summary, org, base, labels, lang, teams, threshold, names):
            groups[group].append(f"<p class='key-figure capacity' data-metric='{metric}' "
                                 f"data-organisation='{org}'>{html.escape(text)}</p>")
        for metric in METRICS:
            for _, row in rows[rows.metric == metric].iterrows():
                text, nums = key_figure(row, labels, lang)
                groups[nums["group"]].append(
                    f"<p class='key-figure' data-metric='{metric}' data-organisation='{org}' "
                    f"data-pct='{nums['pct']}' data-lo='{nums['lo']}' data-hi='{nums['hi']}'>"
                    f"{html.escape(text)}</p>")
        intro = t["key_intro"].format(org=labels[org], base=labels[base], covers=t[covers])
        parts.append(f"<p>{html.escape(intro)}</p><div class='columns'>"
                     + "".join(f"<div><h3 class='{g}'>{t['unclear_head' if g == 'unclear' else g]}</h3>"
                               + "".join(groups[g]) + "</div>" for g in ("gains", "costs"))
                     + "</div>")
        if groups["unclear"]:
            parts.append(f"<h3 class='unclear'>{t['unclear_head']}</h3>" + "".join(groups["unclear"]))
        staff = [p for p in (_staff_paid(summary, org, base, labels, lang),
                             _utilisation(summary, org, base, labels, lang)) if p]
        if staff:
            parts.append(f"<h3 class='staff'>{t['staff_head']}</h3>" + "".join(staff))
    return "\n".join(parts)


def _capacity_figures(rows: pd.DataFrame, summary: pd.DataFrame, org: str, base: str, labels: dict[str, str],
                      lang: str, teams: pd.DataFrame | None, threshold: float,
                      names: dict[str, str]) -> list[tuple[str, str, str]]:
    """(group, sentence, metric) for what the organisation's staff could not give, kind by
    kind, and its overloaded teams: a cost where it lost more than the baseline, a gain
    where it lost fewer. Routine contacts lost by an overloaded team are said as overload."""
    t = TEXT[lang]
    i = LANGUAGES.index(lang)
    changes = rows.set_index("metric")
    over = capacity.overloaded(teams, summary, org, threshold, names)
    base_lost = {x.kind: x for x in capacity.lost(summary, base)}
    out = []
    for x in capacity.lost(summary, org):
        metric = f"contacts_lost_{x.kind}"
        before = base_lost[x.kind].lost if x.kind in base_lost else 0.0
        lo = hi = x.lost - before
        if metric in changes.index and {"difference_ci_lower", "difference_ci_upper"} <= set(changes.columns):
            lo_, hi_ = changes.at[metric, "difference_ci_lower"], changes.at[metric, "difference_ci_upper"]
            if not (pd.isna(lo_) or pd.isna(hi_)):
                lo, hi = float(lo_), float(hi_)
        levels = t["lost_levels"].format(base=numbers.number(before, lang, 0), org=numbers.number(x.lost, lang, 0),
                                         noun=noun(metric, lang), unit=unit(metric, lang))
        if lo > 0 or (x.kind == "routine" and over and x.lost > 0):
            if x.kind == "routine" and over:
                team = over[0]
                text = t["overload"].format(share=capacity.percent(x.share, lang), levels=levels,
                                            team=team.team or labels.get(org, org),
                                            use=capacity.percent(team.utilisation, lang),
                                            limit=capacity.percent(threshold, lang))
            else:
                text = t["lost_cost"].format(share=capacity.percent(x.share, lang), work=WORK_WORDS[x.kind][i],
                                             levels=levels)
            out.append(("costs", text, metric))
        elif hi < 0:
            out.append(("gains", t["lost_gain"].format(noun=noun(metric, lang), base=numbers.number(before, lang, 0),
                                                       org=numbers.number(x.lost, lang, 0),
                                                       unit=unit(metric, lang)), metric))
    if over and not any(m == "contacts_lost_routine" and g == "costs" for g, _, m in out):
        team = over[0]
        out.insert(0, ("costs", t["overload_plain"].format(team=team.team or labels.get(org, org),
                                                           use=capacity.percent(team.utilisation, lang),
                                                           limit=capacity.percent(threshold, lang)),
                       "staff_utilisation"))
    out.sort(key=lambda g: g[2] != "contacts_lost_routine")   # the overload sentence first
    return out


def money_scale(*values: float) -> tuple[float, int, str]:
    """The scale, decimals and unit word (``mio. kr.``) that write ``values`` alike: millions
    from a million up, else thousands."""
    top = max((abs(v) for v in values if not pd.isna(v)), default=0.0)
    if top >= 1e6:
        return 1e6, 1 if top >= 1e7 else 2, "money_millions"
    return 1e3, 0, "money_thousands"


def money_text(value: float, lang: str, signed: bool = False, scale: tuple[float, int, str] | None = None) -> str:
    """An amount of money as a leader reads it ("7,29 mio. kr."), on ``scale`` or its own."""
    k, d, word = scale or money_scale(value)
    return f"{numbers.number(value / k, lang, d, signed=signed)} {TEXT[lang][word]}"


def money_range(lo: float, hi: float, lang: str, signed: bool = False) -> tuple[str, str]:
    """The ends of an interval of money, the unit written once ("6,14", "8,45 mio. kr.")."""
    k, d, word = money_scale(lo, hi)
    return numbers.number(lo / k, lang, d, signed=signed), f"{numbers.number(hi / k, lang, d, signed=signed)} " \
        f"{TEXT[lang][word]}"


def municipality_names(geo: pd.DataFrame) -> dict[str, str]:
    """Each municipality's name from the geography table, written as a name ("Silkeborg",
    not the key "silkeborg") where its file gives no label."""
    return {m: (label if label and label != m else str(m).replace("_", " ").title())
            for m, label in zip(geo.municipality, geo.label)}


def payer_name(payer: str, names: dict[str, str], lang: str) -> str:
    """A payer by its name in ``lang``: the region, a municipality by its name, or the total."""
    t = TEXT[lang]
    if payer == "region":
        return t["region"]
    if payer == "total":
        return t["total_payer"]
    if payer == "municipalities":
        return t["municipalities"]
    return t["municipality_payer"].format(name=names.get(payer) or payer.replace("_", " ").title())


def payer_block(folder: Path, scenario: Scenario, lang: str) -> str:
    """Who pays, who saves: each payer's cost a year under each organisation, the
    difference with its interval (the key figures' own: over the parameter draws when the
    run has them), and one sentence per organisation; empty for a run without money."""
    summary_file, comparison_file = folder / "payer_summary.parquet", folder / "payer_comparison.parquet"
    if not summary_file.is_file() or not comparison_file.is_file() or scenario.economy is None:
        return ""
    t = TEXT[lang]
    labels = scenario.labels(lang)
    summary, comparison = pd.read_parquet(summary_file), pd.read_parquet(comparison_file)
    geo_file = folder / "geography.parquet"
    names = {}
    if geo_file.is_file():
        geo = pd.read_parquet(geo_file)
        names = municipality_names(geo)
    e = scenario.economy
    plain = lambda v: numbers.number(v, lang, 0)  # noqa: E731
    money = t["money_units"] if e.currency == "DKK" else e.currency
    prices = ", ".join(t[k].format(value=f"{plain(v)} {money}") for k, v in (
        ("price_bed_day", e.bed_day), ("price_coercion", e.coercive_bed_day_extra),
        ("price_fte_regional", e.fte_year_regional), ("price_fte_municipal", e.fte_year_municipal),
        ("price_discharge_ready", e.discharge_ready_day_payment)))
    covers = "covers_draws" if (comparison.get("covers") == "draws").any() else "covers_noise"
    parts = [f"<h2>{t['payers']}</h2>",
             "<p class='small'>" + html.escape(t["payers_intro"].format(currency=money, covers=t[covers],
                                                                        prices=prices)) + "</p>"]
    payers = list(dict.fromkeys([*(p for p in summary.payer if p not in ("total",)), "total"]))
    for org, rows in comparison.groupby("organisation", sort=False):
        base = rows.baseline.iloc[0]
        r = rows.set_index("payer")
        table, said = [], []
        for payer in payers:
            if payer not in r.index:
                continue
            x = r.loc[payer]
            who = payer_name(payer, names, lang)
            lo, hi, diff_ = float(x.difference_ci_lower), float(x.difference_ci_upper), float(x.difference)
            diff = money_text(diff_, lang, signed=True)
            row = {t["payer_col"]: who, labels.get(base, base): money_text(float(x.baseline_mean), lang),
                   labels.get(org, org): money_text(float(x.organisation_mean), lang), t["difference_col"]: diff}
            if pd.isna(lo) or pd.isna(hi):
                table.append(row)
                continue
            a, b = money_range(lo, hi, lang, signed=True)
            row[t["difference_col"]] = f"{diff} ({a} {numbers.WORDS[lang]['to']} {b})"
            table.append(row)
            total = payer == "total"
            if hi < 0:
                key, (a, b), amount = "saves", money_range(-hi, -lo, lang), money_text(-diff_, lang)
            elif lo > 0:
                key, (a, b), amount = "pays_more", money_range(lo, hi, lang), money_text(diff_, lang)
            else:
                key, (a, b), amount = "no_clear_money", money_range(lo, hi, lang, signed=True), diff
            if total:
                key = {"saves": "total_saves", "pays_more": "total_pays_more", "no_clear_money": "total_no_clear"}[key]
            said.append(t[key].format(payer=who.lower() if lang == "en" and key == "no_clear_money" else who,
                                      amount=amount, lo=a, hi=b))
        if said:
            sentence = t["payers_sentence"].format(org=labels.get(org, org), base=labels.get(base, base),
                                                   parts="; ".join(said))
            parts.append(f"<p class='key-figure payers' data-organisation='{org}'>{html.escape(sentence)}</p>")
        parts.append(f"<div class='payers-table'>{_table(pd.DataFrame(table))}</div>")
    return "\n".join(parts)


def _team_of(team: str, org: str, lang: str) -> str:
    """A team by its name, with its organisation's when the two differ."""
    return org if not team or team == org else TEXT[lang]["team_of"].format(team=team, org=org)


def levels(summary: pd.DataFrame, metric: str, orgs: list[str], labels: dict[str, str], lang: str,
           percent: bool = False) -> dict[str, str]:
    """Each organisation's mean and 95 % interval of ``metric`` in ``lang`` (a share x 100
    when ``percent``), by the organisation's label; organisations without it left out."""
    out = {}
    k = 100.0 if percent else 1.0
    for org in orgs:
        s = summary[(summary.organisation == org) & (summary.metric == metric)]
        if len(s):
            r = s.iloc[0]
            out[labels.get(org, org)] = numbers.interval(k * r["mean"], k * r["ci_lower"], k * r["ci_upper"], lang)
    return out


def _staff_paid(summary: pd.DataFrame, org: str, base: str, labels: dict[str, str], lang: str) -> str:
    """The staff each organisation pays, in FTE by sector (what a leader budgets), as levels."""
    s = summary[summary.metric.isin(["staff_fte_regional", "staff_fte_municipal"])].set_index(
        ["organisation", "metric"])["mean"]
    try:
        o = (float(s[(org, "staff_fte_regional")]), float(s[(org, "staff_fte_municipal")]))
        b = (float(s[(base, "staff_fte_regional")]), float(s[(base, "staff_fte_municipal")]))
    except KeyError:
        return ""
    f = lambda v: numbers.number(v, lang, 1)  # noqa: E731
    text = TEXT[lang]["staff_paid"].format(org=labels[org], base=labels[base], fte=f(sum(o)), reg=f(o[0]),
                                           mun=f(o[1]), bfte=f(sum(b)), breg=f(b[0]), bmun=f(b[1]))
    return f"<p class='key-level' data-metric='staff_fte' data-organisation='{org}'>{html.escape(text)}</p>"


def _utilisation(summary: pd.DataFrame, org: str, base: str, labels: dict[str, str], lang: str) -> str:
    """Staff utilisation as levels in % for the organisation and the baseline (a share is
    compared by its levels, not by a change in %)."""
    s = summary[summary.metric == UTILISATION].set_index("organisation")
    if org not in s.index or base not in s.index or pd.isna(s.at[org, "mean"]):
        return ""
    pc = lambda v: numbers.number(100 * float(v), lang, 0)  # noqa: E731
    t = TEXT[lang]
    lo, hi = pc(s.at[org, "ci_lower"]), pc(s.at[org, "ci_upper"])
    between = "" if lo == hi or pd.isna(s.at[org, "ci_lower"]) else t["pct_interval"].format(lo=lo, hi=hi)
    text = t["utilisation"].format(org=labels[org], base=labels[base], o=pc(s.at[org, "mean"]), interval=between,
                                   b=pc(s.at[base, "mean"]))
    return f"<p class='key-level' data-metric='{UTILISATION}' data-organisation='{org}'>{html.escape(text)}</p>"


def _organisation_block(scenario: Scenario, lang: str) -> str:
    t = TEXT[lang]
    labels = scenario.labels(lang)
    parts = []
    for org in scenario.organisations:
        teams = [f"{html.escape(team.name(lang))} "
                 f"({numbers.number(sum(m.fte_per_100 for m in team.staffing.values()), lang, 1)} {t['staff']})"
                 for team in org.teams.values()]
        parts.append(f"<li><b>{html.escape(labels[org.name])}</b>: {t['teams']}: {'; '.join(teams)}</li>")
    return "<ul>" + "".join(parts) + "</ul>"


def run_report(folder: Path, lang: str) -> str:
    """The report page of one run folder."""
    t = TEXT[lang]
    manifest = finished_manifest(folder)
    if manifest is None:
        raise ReportError(f"{folder}: not a finished run (its {MANIFEST} is missing or does not match its files)")
    scenario = saved_scenario(folder)
    summary = pd.read_parquet(folder / "summary.parquet")
    labels = scenario.labels(lang)
    base = manifest.get("baseline")
    orgs = manifest["organisations"]
    body = [f"<h1>{t['title']}</h1>"]
    study = [o for o in orgs if o != base]
    if base and study:
        question = t["question"].format(org=words.organisation_phrase(study[0], labels[study[0]], lang),
                                        base=words.organisation_phrase(base, labels[base], lang))
        body.append(f"<p>{html.escape(question)}</p>")
    comparison_file = folder / "comparison.parquet"
    shown = None
    if base and comparison_file.is_file():   # the first screen answers the question
        comparison = pd.read_parquet(comparison_file)
        shown, covers = changes_for_sentences(folder, comparison, base)
        body.append(f"<h2>{t['key']}</h2>")
        body.append(key_block(folder, scenario, summary, shown, covers, lang))
    body.append(payer_block(folder, scenario, lang))
    body.append(f"<h2>{t['compared']}</h2>{_organisation_block(scenario, lang)}")
    method = t["method"].format(pop=manifest["population"], reps=manifest["replications"],
                                years=numbers.duration(scenario.results_years, lang),
                                warm=numbers.duration(scenario.warmup_years, lang))
    if scenario.study is not None:
        method += " " + t["study_frame"].format(pre=numbers.duration(scenario.study.pre_months, lang),
                                                post=numbers.duration(scenario.study.post_months, lang))
    body.append(f"<p class='small'>{html.escape(method)}</p>")
    rows = []
    for metric in [*METRICS, UTILISATION]:
        share = metric == UTILISATION   # a share, shown in %
        row = {t["outcome"]: t["utilisation_noun"] if share else f"{noun(metric, lang)} ({unit(metric, lang)})",
               **levels(summary, metric, orgs, labels, lang, share)}
        if len(row) > 1:
            rows.append(row)
    if (folder / "prepost_summary.parquet").is_file():
        body.append(_study_block(folder, lang))
    if scenario.rollout is not None and (folder / "projection_summary.parquet").is_file():
        from sim.output.projection import projection_block
        body.append(projection_block(folder, scenario, lang))
    if (folder / "uncertainty_summary.parquet").is_file() and (folder / "decisions.parquet").is_file():
        body.append(uncertainty_block(folder, scenario, labels, lang))
    body.append(f"<h2>{t['table']}</h2>{_table(pd.DataFrame(rows))}")
    body += _areas_block(folder, scenario, labels, lang)
    body.append(f"<h2>{t['plots']}</h2>")
    body += _figures(folder, scenario, summary, shown, labels, lang)
    body.append(limits_block(lang))
    body.append(_assumptions(folder, lang))
    return _page(t["title"], body, lang)


LIMITS = ("limit_structure", "limit_calibration", "limit_content", "limit_resources", "limit_money",
          "limit_transition")


def limits_block(lang: str) -> str:
    """What the model cannot tell, in a few plain sentences (from the model description's
    scope, assumptions and the calibration's misses), so a leader knows where not to lean on it."""
    t = TEXT[lang]
    items = "".join(f"<li>{html.escape(t[k])}</li>" for k in LIMITS)
    return f"<h2 id='limits'>{t['limits']}</h2><p>{html.escape(t['limits_intro'])}</p><ul class='limits'>{items}</ul>"


def _figures(folder: Path, scenario: Scenario, summary: pd.DataFrame, shown: pd.DataFrame | None,
             labels: dict[str, str], lang: str) -> list[str]:
    """The run's figures, drawn from its tables in the report's language: the paired
    changes the text states, the levels per citizen-year, beds and crises over time, a
    few citizens' pathways and, with parameter draws, the change over the draws."""
    from sim.output import plots  # matplotlib only when a report is drawn

    w = FIGURE[lang]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)
        if shown is not None and len(shown):
            out.append(_img(plots.changes(shown, labels, here / "changes.png", list(METRICS), lang), "changes"))
        levels = w["levels_title"].format(reps=scenario.replications,
                                          years=numbers.duration(scenario.results_years, lang))
        out.append(_img(plots.comparison(summary, labels, here / "levels.png", panels=list(plots.RATES),
                                         title=levels, lang=lang), "levels"))
        timeseries = folder / "timeseries.parquet"
        if timeseries.is_file():
            out.append(_img(plots.occupancy(pd.read_parquet(timeseries), labels, here / "occupancy.png",
                                            lang, beds=scenario.population.beds), "occupancy"))
        events = folder / "events.parquet"
        if events.is_file():
            ev = pd.read_parquet(events)
            if len(ev):
                out.append(_img(plots.pathways(ev, labels, here / "pathways.png", lang=lang,
                                               seed=scenario.seed), "pathways"))
        draws = folder / "draw_changes.parquet"
        if draws.is_file():
            out.append(_img(plots.uncertainty(pd.read_parquet(draws), labels, here / "uncertainty.png",
                                              lang=lang), "uncertainty"))
    return out


def _areas_block(folder: Path, scenario: Scenario, labels: dict[str, str], lang: str) -> list[str]:
    """Where the catchment has several municipalities: the layout on the map, the change
    in bed days per municipality, and each team of the organisations with its staff,
    their use of time, driving, contacts lost and refused scale-ups (from the run's tables)."""
    geo_file, summary_file = folder / "geography.parquet", folder / "municipality_summary.parquet"
    if not geo_file.is_file() or not summary_file.is_file():
        return []
    geo = pd.read_parquet(geo_file)
    if len(geo) < 2:
        return []
    from sim.output import maps  # matplotlib only when a report is drawn

    t = TEXT[lang]
    names = municipality_names(geo)
    per_muni = pd.read_parquet(summary_file)
    out = [f"<h2>{t['areas']}</h2>", f"<p class='small'>{html.escape(t['areas_intro'])}</p>"]
    capacity_file = folder / "capacity.parquet"
    if capacity_file.is_file() and maps.can_draw(geo):
        with tempfile.TemporaryDirectory() as tmp:
            out.append(_img(maps.layout_map(geo, pd.read_parquet(capacity_file), per_muni, labels,
                                            Path(tmp) / "layout_map.png", lang=lang), "layout_map"))
    years = scenario.results_years
    cy = per_muni[per_muni.metric == "citizen_years"].groupby("municipality")["mean"].mean() / years
    table = pd.DataFrame({t["municipality_col"]: [names[m] for m in geo.municipality],
                          t["citizens_col"]: [numbers.number(cy.get(m, float("nan")), lang, 0)
                                              for m in geo.municipality]})
    comparison_file = folder / "municipality_comparison.parquet"
    if comparison_file.is_file():
        comp = pd.read_parquet(comparison_file)
        comp = comp[comp.metric == "bed_days_per_citizen_year"]
        for org, rows in comp.groupby("organisation", sort=False):
            r = rows.set_index("municipality")
            table[t["change_col"].format(org=labels.get(org, org))] = [
                numbers.change(r.change_pct[m], r.change_pct_ci_lower[m], r.change_pct_ci_upper[m], lang)
                if m in r.index else "" for m in geo.municipality]
    out.append(_table(table))
    teams_file = folder / "team_summary.parquet"
    if teams_file.is_file():
        out.append(_table(_team_rows(pd.read_parquet(teams_file), capacity_file, names, scenario, years, lang)))
    return out


def _team_rows(teams: pd.DataFrame, capacity_file: Path, names: dict[str, str], scenario: Scenario,
               years: float, lang: str) -> pd.DataFrame:
    """One row per team: its organisation, kind, site, base, municipalities, staff and their use."""
    t = TEXT[lang]
    labels = scenario.labels(lang)
    orgs = {o.name: o for o in scenario.organisations}
    wide = teams.pivot_table(index=["network", "team", "team_kind", "site", "base"], columns="metric",
                             values="mean", aggfunc="first").reset_index()
    covers = {}
    if capacity_file.is_file():
        cap = pd.read_parquet(capacity_file)
        covers = {(o, team): c for o, team, c in zip(cap.organisation, cap.team, cap.covers)}
    rows = []
    for _, r in wide.iterrows():
        served = covers.get((r.network, r.team), "")
        org = orgs.get(r.network)
        kind = org.teams[r.team_kind].name(lang) if org is not None and r.team_kind in org.teams else r.team_kind
        rows.append({t["org_col"]: labels.get(r.network, r.network), t["team_col"]: kind,
                     t["site_col"]: _site_label(org, r.team, names.get(r.site, r.site), lang),
                     t["base_col"]: names.get(r.base, r.base),
                     t["covers_col"]: ", ".join(names.get(m, m) for m in str(served).split()),
                     t["fte_col"]: numbers.number(r.staff_fte_regional + r.staff_fte_municipal, lang, 1),
                     t["utilisation_col"]: numbers.number(100 * r.staff_utilisation, lang, 0) + " %",
                     t["driving_col"]: numbers.number(r.driving_hours / years, lang, 0),
                     t["lost_col"]: numbers.number(100 * r.contacts_lost_share, lang, 1) + " %",
                     t["refused_col"]: numbers.number(r.scaleups_refused / years, lang, 0)})
    return pd.DataFrame(rows)


def _site_label(org, team: str, default: str, lang: str) -> str:
    """A team's site by its name in ``lang`` where a layout gives one (``label_da``)."""
    key = team.partition(":")[2]
    if org is None or org.layout is None or key not in org.layout.sites:
        return default
    site = org.layout.sites[key]
    return (site.label_da if lang == "da" and site.label_da else site.label) or key


def changes_for_sentences(folder: Path, comparison: pd.DataFrame, base: str) -> tuple[pd.DataFrame, str]:
    """The changes the key sentences state, and what their intervals cover: with parameter
    draws, the interval over the draws (what is not known about the parameters and the
    simulation's noise), never the narrower interval of the noise alone; otherwise the
    paired comparison. The levels (baseline and organisation means) come from the
    comparison either way."""
    unc_file = folder / "uncertainty_summary.parquet"
    if not unc_file.is_file():
        return comparison, "covers_noise"
    unc = pd.read_parquet(unc_file).rename(columns={"difference_lower": "difference_ci_lower",
                                                    "difference_upper": "difference_ci_upper"})
    means = comparison[["organisation", "metric", "baseline_mean", "organisation_mean"]]
    return as_comparison(unc, base).merge(means, on=["organisation", "metric"], how="left"), "covers_draws"


def key_block(folder: Path, scenario: Scenario, summary: pd.DataFrame, shown: pd.DataFrame, covers: str,
              lang: str) -> str:
    """The key figures of a run folder as the report and the workshop page show them: with
    its teams' use of time against the run's overload threshold."""
    teams_file = folder / "team_summary.parquet"
    teams = pd.read_parquet(teams_file) if teams_file.is_file() else None
    names = {kind: team.name(lang) for org in scenario.organisations for kind, team in org.teams.items()}
    return key_figures(shown, summary, scenario.labels(lang), lang, covers, teams=teams,
                       threshold=capacity.threshold_of(scenario), team_names=names)


STUDY_PARTS = ("observed_ratio", "counterfactual_ratio", "organisation_effect_ratio")


def _study_block(folder: Path, lang: str) -> str:
    """The pre/post study's decomposition: one plain sentence on bed days, a table of
    every measure's observed and counterfactual after/before ratios and the
    organisation's own effect, and its plot, all in the report's language."""
    from sim.output import study_plots  # matplotlib only when a report is drawn

    w = STUDY_WORDS[lang]
    summary = pd.read_parquet(folder / "prepost_summary.parquet")
    shown = summary[summary.quantity.isin(STUDY_PARTS)]
    fmt = lambda v: numbers.number(v, lang, 2)  # noqa: E731
    parts = [f"<h2>{html.escape(w['title'])}</h2>"]
    bed = shown[shown.measure == "bed_days"].set_index("quantity")
    if set(STUDY_PARTS) <= set(bed.index):
        o, c, e = (bed.loc[q] for q in STUDY_PARTS)
        text = w["sentence"].format(obs=fmt(o["mean"]), obs_lo=fmt(o.ci_lower), obs_hi=fmt(o.ci_upper),
                                    cf=fmt(c["mean"]), eff=fmt(e["mean"]), eff_lo=fmt(e.ci_lower),
                                    eff_hi=fmt(e.ci_upper))
        parts.append(f"<p class='key-figure study'>{html.escape(text)}</p>")
    rows = []
    for measure in study_plots.MEASURES:
        part = shown[shown.measure == measure].set_index("quantity")
        if len(part):
            rows.append({w["measure"]: w[measure], **{
                w[q]: numbers.interval(part.at[q, "mean"], part.at[q, "ci_lower"], part.at[q, "ci_upper"], lang, 2)
                for q in STUDY_PARTS if q in part.index}})
    parts.append(_table(pd.DataFrame(rows)))
    with tempfile.TemporaryDirectory() as tmp:
        path = study_plots.ratio_panels(shown, Path(tmp) / "prepost.png", w["title"], lang=lang)
        parts.append(_img(path, "prepost"))
    return "\n".join(parts)


def uncertainty_block(folder: Path, scenario: Scenario, labels: dict[str, str], lang: str) -> str:
    """The change in bed days across parameter draws, and the decision probabilities."""
    t = TEXT[lang]
    unc = pd.read_parquet(folder / "uncertainty_summary.parquet")
    decisions = pd.read_parquet(folder / "decisions.parquet")
    u = scenario.uncertainty
    assert u is not None   # the run drew parameters (it wrote uncertainty_summary)
    parts = [f"<h2>{t['uncertainty']}</h2>",
             "<p>" + html.escape(t["uncertainty_intro"].format(n=len(u.names), draws=u.draws,
                                                              reps=scenario.replications)) + "</p>"]
    for org, g in unc[unc.metric == "bed_days_per_citizen_year"].groupby("organisation", sort=False):
        r = g.iloc[0]
        nums = {"pct": round(r.change_pct), "lo": round(r.change_pct_lower), "hi": round(r.change_pct_upper)}
        d = decisions[decisions.organisation == org].set_index("decision")
        n = int(d.draws.max()) if len(d) else 0
        counts = {k: round(float(d.probability.get(k, float("nan"))) * n) if k in d.index else 0 for k in
                  ("bed_days_fall", "bed_days_fall_by_threshold", "coercive_admissions_fall")}
        probs = {k: round(100 * float(d.probability.get(k, float("nan")))) if k in d.index else 0 for k in counts}
        low, high = share_interval(counts["bed_days_fall"], n)
        text = t["uncertainty_sentence"].format(org=labels.get(org, org), **{
            k: numbers.number(v, lang, 0, signed=True) for k, v in nums.items()})
        prob = t["probabilities"].format(fall_k=counts["bed_days_fall"], n=n, fall=probs["bed_days_fall"],
                                         fall_lo=round(100 * low), fall_hi=round(100 * high),
                                         thr=numbers.number(u.reduction_pct, lang, 0),
                                         thr_k=counts["bed_days_fall_by_threshold"],
                                         fall_thr=probs["bed_days_fall_by_threshold"],
                                         co_k=counts["coercive_admissions_fall"],
                                         coercion=probs["coercive_admissions_fall"])
        parts.append(f"<p class='key-figure' data-uncertainty='{org}' data-probability-fall='{probs['bed_days_fall']}'>"
                     f"{html.escape(text)} {html.escape(prob)}</p>")
    if (folder / "uncertainty_drivers.parquet").is_file():
        d = pd.read_parquet(folder / "uncertainty_drivers.parquet")
        d = d[d["rank"] <= 5][["organisation", "parameter", "spearman_rho"]].copy()
        d["organisation"] = [labels.get(o, o) for o in d.organisation]
        d["parameter"] = [words.parameter(p, lang) for p in d.parameter]   # by readable name, never the key
        d["spearman_rho"] = [numbers.number(v, lang, 2, signed=True) for v in d.spearman_rho]
        d = d.rename(columns={"organisation": t["org_col"], "parameter": t["assumption_col"],
                              "spearman_rho": t["rho_col"]})
        parts.append(f"<p class='small'>{html.escape(t['drivers'])}</p><div class='small'>{_table(d)}</div>")
    if (folder / "value_of_information.parquet").is_file() and scenario.valuation is not None:
        parts.append(value_block(folder, scenario, labels, lang))
    return "\n".join(parts)


def _kroner(value: float, lang: str, signed: bool = False) -> str:
    """An amount per citizen-year in whole kroner ("44.200 kr.")."""
    return f"{numbers.number(value, lang, 0, signed=signed)} {TEXT[lang]['money_units']}"


def value_block(folder: Path, scenario: Scenario, labels: dict[str, str], lang: str) -> str:
    """Which evidence would change the decision: the valuations used, the probability each
    organisation is best (on net benefit and on each outcome), the acceptability curve,
    the value of perfect information and of knowing each group of assumptions, and which
    group an evaluation should measure first (:mod:`sim.output.value`'s tables)."""
    from sim.output import plots  # matplotlib only when a report is drawn

    t, v = TEXT[lang], scenario.valuation
    assert v is not None   # the run wrote value_of_information
    nb = pd.read_parquet(folder / "net_benefit.parquet")
    best = pd.read_parquet(folder / "best_probability.parquet")
    voi = pd.read_parquet(folder / "value_of_information.parquet")
    accept = pd.read_parquet(folder / "acceptability.parquet")
    values = ", ".join(t["value_amount"].format(value=_kroner(a, lang), outcome=words.valued(o, lang))
                       for o, a in v.outcomes.items())
    prices = (t["value_prices_drawn"].format(prices=", ".join(words.parameter(p, lang) for p in v.prices))
              if v.prices else t["value_prices_fixed"])
    parts = [f"<h3 id='value'>{t['value_head']}</h3>",
             "<p class='small'>" + html.escape(t["value_intro"].format(name=v.name, values=values,
                                                                      prices=prices)) + "</p>"]
    base = scenario.baseline.name if scenario.baseline is not None else ""
    said = []
    on_nb = best[best.criterion == "net_benefit"].sort_values("probability", ascending=False)
    top = on_nb.iloc[0]
    said.append(t["value_best"].format(org=labels.get(top.organisation, top.organisation),
                                       k=numbers.number(top.best_in, lang, 0), n=int(top.draws),
                                       p=round(100 * top.probability)))
    for org, g in nb[nb.organisation != base].groupby("organisation", sort=False):
        inc = g.incremental.to_numpy(float)
        lo, hi = (float(x) for x in pd.Series(inc).quantile([0.025, 0.975]))
        said.append(t["value_incremental"].format(org=labels.get(org, org), base=labels.get(base, base),
                                                  nb=_kroner(float(inc.mean()), lang, signed=True),
                                                  lo=_kroner(lo, lang, signed=True),
                                                  hi=_kroner(hi, lang, signed=True)))
    parts.append(f"<p class='key-figure value' data-best='{top.organisation}' "
                 f"data-probability-best='{top.probability:.3f}'>{html.escape(' '.join(said))}</p>")
    table = []
    for criterion, g in best.groupby("criterion", sort=False):
        name = (t[f"criterion_{criterion}"] if f"criterion_{criterion}" in t else
                words.valued(str(criterion), lang))
        row = {t["criterion_col"]: name}
        for _, r in g.iterrows():
            row[labels.get(r.organisation, r.organisation)] = f"{round(100 * r.probability)} %"
        table.append(row)
    parts.append(f"<p class='small'>{html.escape(t['value_best_intro'])}</p>"
                 f"<div class='small'>{_table(pd.DataFrame(table))}</div>")
    axis = v.acceptability
    outcome = words.valued(axis.outcome, lang)
    parts.append("<p class='small'>" + html.escape(t["value_acceptability"].format(
        outcome=outcome, low=_kroner(axis.low, lang), high=_kroner(axis.high, lang))) + "</p>")
    with tempfile.TemporaryDirectory() as tmp:
        path = plots.acceptability(accept, labels, Path(tmp) / "acceptability.png", lang=lang,
                                   shipped=v.outcomes[axis.outcome])
        parts.append(_img(path, "acceptability"))
    steps = sorted(accept["value"].unique())
    shown = steps[::max(1, (len(steps) - 1) // 4)]
    rows = []
    for x in shown:
        g = accept[accept["value"] == x]
        rows.append({t["value_col"].format(outcome=outcome): _kroner(x, lang),
                     **{labels.get(o, o): f"{round(100 * p)} %" for o, p in zip(g.organisation, g.probability)}})
    parts.append(f"<div class='small acceptability'>{_table(pd.DataFrame(rows))}</div>")
    parts.append(_value_of_information(voi, labels, on_nb, v, lang))
    return "\n".join(parts)


def _value_of_information(voi: pd.DataFrame, labels: dict[str, str], on_nb: pd.DataFrame, v, lang: str) -> str:
    """EVPI for the region and each group's EVPPI: the sentences and the table."""
    t = TEXT[lang]
    row = voi.set_index("kind")
    total, everything = row.loc["evpi"], voi[voi.kind == "all"].iloc[0]
    n = int(total.draws)
    years = numbers.number(v.horizon_years, lang, 0)
    if float(total.value) == 0.0:
        top = on_nb.iloc[0]
        text = t["value_evpi_zero"].format(org=labels.get(top.organisation, top.organisation), n=n)
        return f"<p class='key-figure value-of-information' data-evpi='0'>{html.escape(text)}</p>"
    if pd.isna(everything.value):
        text = t["value_evpi"].format(evpi=_kroner(float(total.value), lang),
                                      region=money_text(float(total.value_region), lang),
                                      citizens=numbers.number(v.region_citizens, lang, 0), years=years,
                                      rate=numbers.number(100 * v.discount_rate, lang, 1),
                                      evpi_all=numbers.number(float("nan"), lang))
        return (f"<p class='key-figure value-of-information' data-evpi='{float(total.value):.0f}'>"
                f"{html.escape(text)} {html.escape(t['value_few'].format(n=n))}</p>")
    said = [t["value_evpi"].format(evpi=_kroner(float(total.value), lang),
                                   region=money_text(float(total.value_region), lang),
                                   citizens=numbers.number(v.region_citizens, lang, 0), years=years,
                                   rate=numbers.number(100 * v.discount_rate, lang, 1),
                                   evpi_all=_kroner(float(everything.value), lang))]
    groups = voi[voi.kind == "group"].sort_values("value", ascending=False)
    first = groups.iloc[0] if len(groups) else None
    if first is not None and float(first.value) > 0:
        said.append(t["value_group"].format(group=words.group(first["name"], lang),
                                            value=_kroner(float(first.value), lang),
                                            region=money_text(float(first.value_region), lang), years=years,
                                            first=words.group(first["name"], lang)))
        if not bool(first.reliable):
            r2 = "-" if pd.isna(first.loo_r_squared) else f"{round(100 * max(0.0, float(first.loo_r_squared)))} %"
            said.append(t["value_rough"].format(r2=r2, n=n))
    elif len(groups):
        said.append(t["value_no_group"])
    shown = pd.concat([voi[voi.kind == "evpi"], voi[voi.kind == "all"], groups])
    scale = money_scale(*shown.value_region)   # one unit for the column
    table = pd.DataFrame({
        t["group_col"]: [t["evpi_name"] if k == "evpi" else t["all_assumptions"] if k == "all" else
                         words.group(nm, lang) for k, nm in zip(shown.kind, shown["name"])],
        t["evppi_col"]: [_kroner(x, lang) for x in shown.value],
        t["region_col"].format(years=years): [money_text(x, lang, scale=scale) for x in shown.value_region],
        t["fit_col"]: ["" if pd.isna(r) else numbers.number(r, lang, 2) for r in shown.loo_r_squared],
        t["reliable_col"]: [t["yes"] if r else t["no"] for r in shown.reliable]})
    return (f"<p class='key-figure value-of-information' data-evpi='{float(total.value):.0f}'>"
            f"{html.escape(' '.join(said))}</p><div class='small'>{_table(table)}</div>")


def share_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper-Pearson) interval of a share of ``k`` in ``n``: how sure a decision
    probability is that rests on ``n`` parameter draws (0 to 1; (0, 1) with no draws)."""
    from scipy.stats import beta

    if n <= 0:
        return 0.0, 1.0
    a = (1 - level) / 2
    low = 0.0 if k <= 0 else float(beta.ppf(a, k, n - k + 1))
    high = 1.0 if k >= n else float(beta.ppf(1 - a, k + 1, n - k))
    return low, high


def sweep_report(folder: Path, lang: str) -> str:
    """The report page of a merged sweep folder: the paired change at every point, the
    levels, a table, in the report's language (figures drawn from the sweep's tables)."""
    from sim.output import plots  # matplotlib only when a report is drawn

    t = TEXT[lang]
    info = read_manifest(folder, SWEEP_MANIFEST)
    if info is None:
        raise ReportError(f"{folder}: not a merged sweep (its {SWEEP_MANIFEST} is missing or does not match "
                          "its files)")
    summary = pd.read_parquet(folder / "sweep_summary.parquet")
    labels: dict[str, str] = {}
    for job in info["finished"]:
        labels.update(saved_scenario(folder / job).labels(lang))
    swept = [k for k in info["swept"] if k in summary.columns]
    body = [f"<h1>{t['title']}</h1>", f"<h2>{t['sweep']}</h2>",
            "<p>" + html.escape(t["sweep_intro"].format(swept=", ".join(words.parameter(k, lang) for k in info["swept"])
                                                        or "-",
                                                        n=len(info["finished"]))) + "</p>"]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        here = Path(tmp)
        unc, comp = folder / "sweep_uncertainty.parquet", folder / "sweep_comparison.parquet"
        if unc.is_file() or comp.is_file():
            changes, covers = (pd.read_parquet(unc), "draws") if unc.is_file() else (pd.read_parquet(comp), "noise")
            out.append(_img(plots.sweep_changes(changes, swept, here / "sweep_changes.png", labels, covers,
                                                lang=lang), "sweep_changes"))
        out += [_img(p) for p in plots.sweep(summary, swept, here / "levels", labels, lang=lang)]
    body += out
    keep = summary[summary.metric.isin(list(METRICS))].copy()
    table = pd.DataFrame({words.parameter(k, lang): [words.value(v, lang) for v in keep[k]] for k in swept},
                         index=keep.index)
    table[t["org_col"]] = [labels.get(o, o) for o in keep.organisation]
    table[t["outcome"]] = [f"{noun(m, lang)} ({unit(m, lang)})" for m in keep.metric]
    table[t["mean_col"]] = [numbers.interval(m, lo, hi, lang) for m, lo, hi in
                            zip(keep["mean"], keep["ci_lower"], keep["ci_upper"])]
    body.append(f"<h2>{t['table']}</h2>{_table(table)}")
    first = folder / info["finished"][0]
    if (first / "provenance.parquet").is_file():
        body.append(_assumptions(first, lang))
    return _page(t["title"], body, lang)


RUN_SETTINGS = ("seed", "replications", "warmup_years", "results_years", "n_jobs", "event_log", "progress",
                "plots")


def _value(value, lang: str) -> str:
    """A parameter's value as the report's language writes it."""
    t = TEXT[lang]
    if isinstance(value, str):   # the provenance table holds each value as written (repr)
        value = {"True": True, "False": False, "None": None}.get(value, value)
        if isinstance(value, str) and _NUMBER.fullmatch(value):
            value = float(value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return t["none_changed"]
    if isinstance(value, bool):
        return t["yes"] if value else t["no"]
    if isinstance(value, int | float):
        v = float(value)
        return numbers.number(v, lang, 0 if v.is_integer() else 3 if abs(v) < 1 else numbers.decimals_for(v))
    return str(value)


_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
_CITATION = re.compile(r"\[([^\]]+)\]")
_INTERVAL = re.compile(r"95 % interval (-?[\d.]+)-(-?[\d.]+)")


def _source(text: str, lang: str) -> str:
    """A parameter's source as a short phrase in ``lang``: what kind of source it is
    (an assumption, a published figure, a calibration with its interval, a change for
    this run) and the references it cites by readable name ("KL 2021", "Region Midtjylland
    2025 afsnit 4.1"), never their keys; the source's own reasoning, written in English in
    the YAML, stays in the run folder's provenance table."""
    t = TEXT[lang]
    text = str(text).strip()
    if text.startswith("calibrated"):
        kind = t["src_calibrated"]
        if m := _INTERVAL.search(text):
            lo, hi = float(m.group(1)), float(m.group(2))
            d = numbers.decimals_for(lo, hi)
            kind += f" ({t['src_interval'].format(lo=numbers.number(lo, lang, d), hi=numbers.number(hi, lang, d))})"
        return kind   # its citations are the target sets, named in the intro's calibration
    if text.startswith("set on the command line"):
        return t["src_command_line"]
    refs = []
    for cited in _CITATION.findall(text):
        key, _, rest = cited.strip().partition(" ")
        where = rest.replace("section", t["src_section"]).replace("Box", t["src_box"])
        ref = t["src_model"] if cited.split(":")[0].strip() == "model" else " ".join(
            p for p in (reference_name(key, lang), where) if p)
        if ref not in refs:
            refs.append(ref)
    published = None if text.startswith("[model") else t["src_published"]
    source_kind = t["src_assumption"] if text.startswith("assumption") else published
    see = f"{t['src_see']} {', '.join(refs)}" if refs else ""
    return "; ".join(p for p in (source_kind, see) if p) or t["src_assumption"]


# the evidence's authors and bodies by the names a reader knows them by (the keys are
# headings of the model's list of references)
REFERENCE_NAMES = {"kl": "KL", "rm": "Region Midtjylland", "ft": "Folketinget", "dk": "danske tal", "dst": "Danmarks "
                   "Statistik", "opus": "OPUS", "dassos": "DASSOS", "vanveldhuizen": "van Veldhuizen",
                   "bmcpsych": "BMC Psychiatry", "nkrop": "NKROP", "facts": "FACTs", "fact": "FACT",
                   "region": "regionens", "handbook": "håndbog", "fidelity": "troskabsskala", "geography": "geografi"}
# the words above that are Danish, in English
REFERENCE_NAMES_EN = {"dk": "Danish figures", "region": "the region's", "handbook": "handbook",
                      "fidelity": "fidelity scale", "geography": "geography"}


def reference_name(key: str, lang: str = "da") -> str:
    """A citation key as a reader names the reference: ``kl2021`` -> "KL 2021",
    ``landheim2020`` -> "Landheim 2020", ``dst-folk1`` -> "Danmarks Statistik FOLK1"."""
    parts = []
    for word in key.split("-"):
        m = re.fullmatch(r"([a-z]+?)(\d{4})?", word)
        if m is None:   # a table's code such as folk1: as the agency writes it
            parts.append(word.upper())
            continue
        name, year = m.groups()
        names = {**REFERENCE_NAMES, **REFERENCE_NAMES_EN} if lang == "en" else REFERENCE_NAMES
        parts.append(names.get(name, name.capitalize()))
        if year:
            parts.append(year)
    return " ".join(parts)


def assumption_rows(folder: Path, lang: str) -> pd.DataFrame:
    """The assumptions that carry the result and every parameter changed for the run, by
    readable name, with value, unit and source in ``lang`` (the report's appendix)."""
    t = TEXT[lang]
    i = LANGUAGES.index(lang)
    prov = pd.read_parquet(folder / "provenance.parquet")
    changed = prov[prov.override.notna() & (prov.override.astype(str) != "")]
    shown = [p for p in ASSUMPTIONS if p in set(prov.parameter)]
    shown += [p for p in changed.parameter if p not in shown and p not in RUN_SETTINGS]
    rows = []
    by_name = prov.set_index("parameter")
    for p in shown:
        names = ASSUMPTIONS.get(p)
        rows.append({t["assumption_col"]: names[i] if names else words.parameter(p, lang),
                     t["value"]: _value(by_name.at[p, "value"], lang),
                     t["unit_col"]: names[2 + i] if names else "",
                     t["source"]: _source(by_name.at[p, "source"], lang)})
    return pd.DataFrame(rows)


def _assumptions(folder: Path, lang: str) -> str:
    """A short appendix: the assumptions that carry the result, by readable name, with
    value, unit and source, and every parameter changed for the run; the full provenance
    stays in the run folder."""
    t = TEXT[lang]
    prov = pd.read_parquet(folder / "provenance.parquet")
    changed = prov[prov.override.notna() & (prov.override.astype(str) != "")]
    rows = assumption_rows(folder, lang).to_dict("records")
    named = ", ".join(html.escape(words.parameter(p, lang)) for p in changed.parameter
                      if p not in RUN_SETTINGS)   # by readable name, never as typed
    intro = html.escape(t["appendix_intro"]).format(changed=named or html.escape(t["none_changed"]),
                                                    n=numbers.number(len(prov), lang, 0))
    return (f"<h2>{t['appendix']}</h2><p class='small'>{intro}</p>"
            f"<div class='small appendix'>{_table(pd.DataFrame(rows))}</div>")


def _page(title: str, body: list[str], lang: str) -> str:
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
            + words.keep_together("\n".join(body)) + "</body></html>")


def make_report(folder: Path, lang: str = "da", out: Path | None = None) -> Path:
    """Write the report of ``folder`` (a run or a sweep) and return its path; never half-written."""
    folder = Path(folder)
    if lang not in LANGUAGES:
        raise ReportError(f"--lang {lang}: unknown language; allowed: {', '.join(LANGUAGES)}")
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
