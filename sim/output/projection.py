"""A roll-out's projection in tables, a fan chart and the report's section "Hvornår ses effekten?".

Everything is read from the run's tidy tables: ``projection`` (each arm by draw,
replication, calendar year, area and metric), ``projection_summary`` (the plan's
difference from no roll-out with its interval) and, when the designs ran,
``designs_summary``. The chart's bands are the spread of the plan's difference over
the parameter draws (or over replications without draws): 50 % and 95 % of them.
"""
from __future__ import annotations

import base64
import html
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config.params import Scenario
from sim.experiments.evaluation import DESIGNS
from sim.experiments.rollout import KEY_MEASURES, NO_ROLLOUT, PLAN, REGION
from sim.output import numbers
from sim.output.numbers import duration, number

WORDS = {
    "da": {"title": "Hvornår ses effekten?",
           "intro": ("Teamene starter på de datoer, planen '{plan}' angiver ({starts}). Tabellen viser for hvert "
                     "kalenderår forskellen mellem planen og ingen udrulning i hele optageområdet: de samme borgere "
                     "i begge, så forskellen skyldes planen. Intervallet dækker {covers}."),
           "first": "Sengedagene falder tydeligt fra {year}: {change} i forhold til ingen udrulning.",
           "none": "Inden for årene {first}-{last} falder sengedagene ikke tydeligt i forhold til ingen udrulning.",
           "year": "År", "bed_days": "Sengedage", "coercive_admissions": "Tvangsindlæggelser",
           "staff_fte_total": "Ansatte (årsværk)", "staff_fte_regional": "Årsværk, region",
           "staff_fte_municipal": "Årsværk, kommuner", "cost_total": "Udgift i alt (mio. kr.)",
           "cost_region": "Udgift, region (mio. kr.)", "cost_municipalities": "Udgift, kommuner (mio. kr.)",
           "difference": "Planen minus ingen udrulning", "starts": "teamstart",
           "covers_draws": "95 % af {n} parametertræk (modellens usikkerhed om virkningerne og tilfældighed)",
           "covers_replications": "tilfældigheden over {n} gentagelser (ikke usikkerheden om virkningerne)",
           "designs": "Kan en evaluering måle effekten?",
           "designs_intro": ("Simuleringen kender den sande effekt (de samme borgere uden udrulning). For hvert "
                             "evalueringsdesign: dets skøn over forholdet mellem sengedage med og uden team, den "
                             "sande værdi, skævheden, spredningen og styrken (andelen af gentagelser, hvor designet "
                             "finder en effekt på 5 %-niveau)."),
           "design": "Design", "follow_up": "Opfølgning (år)", "sites": "Teams", "estimate": "Skøn",
           "truth": "Sand værdi", "bias": "Skævhed", "spread": "Spredning", "power": "Styrke",
           "prepost": "Før/efter for indskrevne borgere", "stepped_wedge": "Trinvis indførelse (stepped wedge)",
           "stepped_wedge_exposure": "Trinvis indførelse efter tid siden start",
           "matched": "Matchet sammenligning", "years_short": "år",
           "ratio_axis": "Sengedage med team / uden (forhold)"},
    "en": {"title": "When is the effect seen?",
           "intro": ("The teams start on the dates of the plan '{plan}' ({starts}). The table shows, for each "
                     "calendar year, the difference between the plan and no roll-out in the whole catchment: the same "
                     "citizens in both, so the difference is the plan's. The interval covers {covers}."),
           "first": "Bed days fall clearly from {year}: {change} against no roll-out.",
           "none": "Within {first}-{last} bed days do not fall clearly against no roll-out.",
           "year": "Year", "bed_days": "Bed days", "coercive_admissions": "Coercive admissions",
           "staff_fte_total": "Staff (FTE)", "staff_fte_regional": "FTE, region",
           "staff_fte_municipal": "FTE, municipalities", "cost_total": "Total cost (DKK million)",
           "cost_region": "Cost, region (DKK million)", "cost_municipalities": "Cost, municipalities (DKK million)",
           "difference": "Plan minus no roll-out", "starts": "team start",
           "covers_draws": "95 % of {n} parameter draws (uncertainty about the effects and chance)",
           "covers_replications": "chance over {n} replications (not the uncertainty about the effects)",
           "designs": "Can an evaluation measure the effect?",
           "designs_intro": ("The simulation knows the true effect (the same citizens without the roll-out). For "
                             "each evaluation design: its estimate of the ratio of bed days with and without a team, "
                             "the true value, the bias, the spread and the power (the share of replications in which "
                             "the design finds an effect at the 5 % level)."),
           "design": "Design", "follow_up": "Follow-up (years)", "sites": "Teams", "estimate": "Estimate",
           "truth": "True value", "bias": "Bias", "spread": "Spread", "power": "Power",
           "prepost": "Pre/post of enrolled citizens", "stepped_wedge": "Stepped wedge across sites",
           "stepped_wedge_exposure": "Stepped wedge by time since the start",
           "matched": "Matched comparison", "years_short": "years",
           "ratio_axis": "Bed days with a team / without (ratio)"},
}
# the designs as a plot's axis names them
SHORT = {"da": {"prepost": "Før/efter", "stepped_wedge": "Trinvis",
                "stepped_wedge_exposure": "Trinvis,\ntid siden start", "matched": "Matchet"},
         "en": {"prepost": "Pre/post", "stepped_wedge": "Stepped wedge",
                "stepped_wedge_exposure": "Stepped wedge,\ntime since start", "matched": "Matched"}}
TABLE_MEASURES = ("bed_days", "coercive_admissions", "staff_fte_regional", "staff_fte_municipal",
                  "cost_region", "cost_municipalities", "cost_total")
MILLIONS = ("cost_total", "cost_region", "cost_municipalities")


def start_years(scenario: Scenario) -> dict[str, float]:
    """Each site's start as a fractional calendar year (2025.58 for 1 August 2025)."""
    rollout = scenario.rollout
    assert rollout is not None
    out = {}
    for name, site in rollout.sites.items():
        when = date.fromisoformat(site.start)
        out[name] = when.year + (when.timetuple().tm_yday - 1) / (366 if when.year % 4 == 0 else 365)
    return out


def site_label(scenario: Scenario, site: str, lang: str) -> str:
    """A site's name as its layout gives it in ``lang`` (the catchment's name for a
    catchment-wide organisation, the municipality's for one per municipality)."""
    layout = scenario.organisation.layout
    if layout is not None and site in layout.sites:
        spec = layout.sites[site]
        return (spec.label_da if lang == "da" and spec.label_da else spec.label) or site
    if site in scenario.population.municipalities:
        return scenario.population.municipality_label(site)
    return scenario.population.name


def differences(projection: pd.DataFrame, metric: str, area: str = REGION) -> pd.DataFrame:
    """Per year and draw (or replication): the plan's mean difference from no roll-out."""
    data = projection[projection.area == area]
    if metric == "staff_fte_total":
        data = data[data.metric.isin(["staff_fte_regional", "staff_fte_municipal"])]
        keys = [k for k in ("draw", "replication", "arm", "year") if k in data.columns]
        data = data.groupby(keys, sort=False)["value"].sum().reset_index()
    else:
        data = data[data.metric == metric]
    unit = "draw" if "draw" in data.columns else "replication"
    keys = [k for k in ("draw", "replication", "year") if k in data.columns]
    wide = data.pivot_table(index=keys, columns="arm", values="value", aggfunc="first").reset_index()
    wide["difference"] = wide[PLAN] - wide[NO_ROLLOUT]
    return wide.groupby([unit, "year"], sort=True)["difference"].mean().reset_index().rename(columns={unit: "unit"})


def fan_chart(projection: pd.DataFrame, starts: dict[str, float], path: Path, lang: str = "en",
              title: str = "") -> Path:
    """Four panels (bed days, coercive admissions, staff, total cost): the plan's difference
    from no roll-out by year, its median and the bands holding 50 % and 95 % of the draws
    (or replications), the sites' starts marked."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.output.plots import number_axis

    w = WORDS[lang]
    fig, axes = plt.subplots(2, 2, figsize=(12, 8), squeeze=False)
    for ax, metric in zip(axes.flat, KEY_MEASURES):
        d = differences(projection, metric)
        scale = 1e-6 if metric in MILLIONS else 1.0
        by_year = d.groupby("year")["difference"]
        years = np.array(sorted(d.year.unique()), dtype=float) + 0.5   # the middle of each year
        q = {p: by_year.quantile(p / 100).to_numpy(float) * scale for p in (2.5, 25, 50, 75, 97.5)}
        ax.fill_between(years, q[2.5], q[97.5], color="#9ecae1", label="95 %")
        ax.fill_between(years, q[25], q[75], color="#4292c6", label="50 %")
        ax.plot(years, q[50], color="#08306b", lw=2)
        ax.axhline(0.0, color="black", lw=1)
        for i, when in enumerate(sorted(starts.values())):
            ax.axvline(when, color="#d94801", lw=1, ls="--", label=w["starts"] if i == 0 else None)
        ax.set_title(w[metric])
        ax.set_xlabel(w["year"])
        ax.set_ylabel(w["difference"])
        number_axis(ax.yaxis, lang)
        ax.legend(loc="lower left", fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def first_clear_year(summary: pd.DataFrame, metric: str = "bed_days") -> pd.Series | None:
    """The first year whose whole interval of the region's difference lies below 0."""
    rows = summary[(summary.area == REGION) & (summary.metric == metric) & (summary.difference_upper < 0)]
    return rows.sort_values("year").iloc[0] if len(rows) else None


def _cell(row: pd.Series, lang: str, scale: float) -> str:
    return numbers.interval(row.difference * scale, row.difference_lower * scale, row.difference_upper * scale,
                            lang, 1 if scale == 1.0 else 0, signed=True)


def projection_block(folder: Path, scenario: Scenario, lang: str) -> str:
    """The report's section: a sentence on when bed days fall, a table by year, the fan chart."""
    w = WORDS[lang]
    rollout = scenario.rollout
    assert rollout is not None
    summary = pd.read_parquet(folder / "projection_summary.parquet")
    region = summary[summary.area == REGION]
    n, covers = int(region.n.max()), str(region.covers.iloc[0])
    starts = ", ".join(f"{site_label(scenario, name, lang)} {numbers.day(site.start, lang)}"
                       for name, site in sorted(rollout.sites.items(), key=lambda s: s[1].start))
    label = rollout.label_da if lang == "da" else rollout.label
    intro = w["intro"].format(plan=label, starts=starts, covers=w[f"covers_{covers}"].format(n=n))
    parts = [f"<h2 id='rollout'>{html.escape(w['title'])}</h2>", f"<p>{html.escape(intro)}</p>"]
    first = first_clear_year(summary)
    if first is not None:
        change = f"{numbers.number(first.change_pct, lang, 0, signed=True)} %"
        parts.append(f"<p class='key-figure'>{html.escape(w['first'].format(year=int(first.year), change=change))}</p>")
    else:
        none = w["none"].format(first=rollout.first_year, last=rollout.last_year)
        parts.append(f"<p class='key-figure'>{html.escape(none)}</p>")
    rows = []
    for year, g in region.groupby("year", sort=True):
        by = g.set_index("metric")
        rows.append({w["year"]: str(int(year)),
                     **{w[m]: _cell(by.loc[m], lang, 1e-6 if m in MILLIONS else 1.0)
                        for m in TABLE_MEASURES if m in by.index}})
    parts.append(pd.DataFrame(rows).to_html(index=False, escape=True, border=0))
    projection = pd.read_parquet(folder / "projection.parquet")
    with tempfile.TemporaryDirectory() as tmp:
        path = fan_chart(projection, start_years(scenario), Path(tmp) / "projection.png", lang)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        parts.append(f'<img alt="{html.escape(w["title"])}" src="data:image/png;base64,{data}">')
    designs = folder / "designs_summary.parquet"
    if designs.is_file():
        parts.append(designs_block(pd.read_parquet(designs), lang))
    return "\n".join(parts)


def designs_block(summary: pd.DataFrame, lang: str) -> str:
    """The evaluation designs' table: estimate, truth, bias, spread and power."""
    w = WORDS[lang]
    fmt = lambda v: numbers.number(v, lang, 2)  # noqa: E731
    rows = [{w["design"]: w.get(r.design, r.design), w["follow_up"]: str(int(r.follow_up_years)),
             w["sites"]: str(int(r.sites)), w["estimate"]: fmt(r.estimate), w["truth"]: fmt(r.truth),
             w["bias"]: fmt(r.bias), w["spread"]: fmt(r.spread), w["power"]: f"{100 * r.power:.0f} %"}
            for r in summary.itertuples()]
    cited = "".join(f"<li>{html.escape(line)}</li>" for line in sentences(summary, lang))
    with tempfile.TemporaryDirectory() as tmp:
        path = designs_plot(summary, Path(tmp) / "designs.png", lang)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f"<h3>{html.escape(w['designs'])}</h3><p class='small'>{html.escape(w['designs_intro'])}</p>"
            f"<ul>{cited}</ul>{pd.DataFrame(rows).to_html(index=False, escape=True, border=0)}"
            f'<img alt="{html.escape(w["designs"])}" src="data:image/png;base64,{data}">')


_DESIGN_WORDS = {
    "en": {"prepost": "a pre/post comparison of the citizens enrolled at {sites}",
           "stepped_wedge": "a stepped-wedge comparison of {sites}",
           "stepped_wedge_exposure": "a stepped-wedge comparison of {sites} by time since the start "
                                     "(the effect from a year on)",
           "matched": "a matched register comparison of the citizens of {sites} starting"},
    "da": {"prepost": "en før/efter-sammenligning af de indskrevne borgere på {sites}",
           "stepped_wedge": "et trinvist design (stepped wedge) med {sites}",
           "stepped_wedge_exposure": "et trinvist design med {sites} efter tid siden start "
                                     "(effekten fra et år efter start)",
           "matched": "en matchet registersammenligning af borgerne på {sites}, der starter"},
}
_OUTCOME_WORDS = {"en": {"bed_days": "bed-day ratio", "admissions": "admission ratio"},
                  "da": {"bed_days": "sengedagsforhold", "admissions": "indlæggelsesforhold"}}


def sentences(summary: pd.DataFrame, lang: str = "en") -> list[str]:
    """One citable sentence per design and follow-up, in English (``en``) or Danish (``da``).

    Of a design's rows at one follow-up the one with the most sites is told (the stepped
    wedge on all sites); numbers are written as the language writes them
    (:mod:`sim.output.numbers`).
    """
    if lang not in _DESIGN_WORDS:
        raise ValueError(f"lang: {lang!r} is not one of {', '.join(_DESIGN_WORDS)}")
    out = []
    top = summary.sort_values("sites").groupby(["design", "outcome", "follow_up_years"], sort=False).tail(1)
    order = {d: i for i, d in enumerate(DESIGNS)}
    top = top.assign(_order=top.design.map(order)).sort_values(["follow_up_years", "_order"])
    for r in top.itertuples():
        years = duration(float(r.follow_up_years), lang)
        n = int(r.sites)
        noun = {"en": ("site", "sites"), "da": ("sted", "steder")}[lang][n != 1]
        sites = f"{n} {noun}"
        design = _DESIGN_WORDS[lang][r.design].format(sites=sites)
        ratio = _OUTCOME_WORDS[lang][r.outcome]
        est, truth = number(r.estimate, lang), number(r.truth, lang)
        bias, spread = number(r.bias, lang, signed=True), number(r.spread, lang)
        power = number(100 * r.power, lang, 0)
        if lang == "en":
            unit = "year" if float(r.follow_up_years) == 1 else "years"
            out.append(f"With {years} {unit} of follow-up, {design} estimates a {ratio} of {est} against a "
                       f"true {truth} (bias {bias}, spread {spread}) and finds an effect at the 5 % level in "
                       f"{power} % of {int(r.replications)} replications.")
        else:
            out.append(f"Med {years} års opfølgning estimerer {design} et {ratio} på {est} mod et sandt "
                       f"{truth} (skævhed {bias}, spredning {spread}) og finder en effekt på 5 %-niveau i "
                       f"{power} % af {int(r.replications)} gennemløb.")
    return out


def projection_text(summary: pd.DataFrame) -> str:
    """The region's projection as a terminal table: per year, the plan minus no roll-out
    in bed days (and %), coercive admissions, FTE and total cost, with their intervals."""
    region = summary[summary.area == REGION]
    rows = []
    def cell(by: pd.DataFrame, m: str, d: int = 0, scale: float = 1.0) -> str:
        return numbers.interval(by.at[m, "difference"] * scale, by.at[m, "difference_lower"] * scale,
                                by.at[m, "difference_upper"] * scale, "en", d, signed=True)

    for year, g in region.groupby("year", sort=True):
        by = g.set_index("metric")
        rows.append({"year": int(year), "bed days": cell(by, "bed_days"),
                     "bed days %": f"{by.at['bed_days', 'change_pct']:+.0f} %",
                     "coercive admissions": cell(by, "coercive_admissions"),
                     "FTE": cell(by, "staff_fte_total", 1), "cost (million)": cell(by, "cost_total", 0, 1e-6)})
    with pd.option_context("display.max_columns", None, "display.width", 200):
        return pd.DataFrame(rows).set_index("year").to_string()


def designs_plot(summary: pd.DataFrame, path: Path, lang: str = "en", title: str = "") -> Path:
    """Left: each design's mean estimate (with its spread) against the true effect, at each
    follow-up; right: the stepped wedge's power by the number of sites."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sim.output.plots import number_axis

    w = WORDS[lang]
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    full = summary.sort_values("sites").groupby(["design", "follow_up_years"], sort=False).tail(1)
    full = full.assign(order=full.design.map({d: i for i, d in enumerate(DESIGNS)})).sort_values(
        ["order", "follow_up_years"])
    x = np.arange(len(full))
    left.errorbar(x, full.estimate, yerr=full.spread.fillna(0.0), fmt="o", color="#08306b", capsize=5,
                  label=w["estimate"])
    left.scatter(x, full.truth, marker="_", s=500, color="#d94801", label=w["truth"], zorder=3)
    left.axhline(1.0, color="black", lw=1)
    left.set_xticks(x, [f"{SHORT[lang][r.design]}\n{int(r.follow_up_years)} {w['years_short']}"
                        for r in full.itertuples()], fontsize=8)
    left.set_ylabel(w["ratio_axis"])
    number_axis(left.yaxis, lang)
    left.legend(fontsize=8)
    wedge = summary[summary.design == "stepped_wedge"]
    for years, g in wedge.groupby("follow_up_years"):
        g = g.sort_values("sites")
        right.plot(g.sites, 100 * g.power, marker="o", label=f"{int(years)} {w['years_short']}")
    if len(wedge):
        right.set_xticks(sorted(int(n) for n in wedge.sites.unique()))
    right.axhline(80, color="grey", lw=1, ls="--")
    right.set_ylim(0, 100)
    right.set_xlabel(w["sites"])
    right.set_ylabel(f"{w['power']} (%)")
    right.set_title(w["stepped_wedge"])
    right.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
