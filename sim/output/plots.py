"""Comparison plots made from the tidy tables only (never from model internals).

Readable on a projector: large type, units in every title, the Okabe-Ito
colour-blind-safe palette, one panel per outcome. Every word and number is in the
language asked for (``lang``: English for a run's own plots, the report's language for
the report's figures), from the translation table in :mod:`sim.output.words`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import Formatter, MaxNLocator  # noqa: E402

from sim.config.units import DAYS_PER_YEAR  # noqa: E402
from sim.experiments.uncertainty import as_comparison  # noqa: E402
from sim.model.streams import FIGURES, generator  # noqa: E402
from sim.output import numbers, words  # noqa: E402
from sim.output.files import replacing  # noqa: E402
from sim.output.words import FIGURE, LANGUAGES, STATES, title  # noqa: E402

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

# every outcome a plot may show, in the order of the panels
OUTCOMES = ("bed_days_per_citizen_year", "admissions_per_citizen_year", "coercive_admissions_per_citizen_year",
            "coercive_bed_days_per_citizen_year", "bed_blocking_days_per_citizen_year",
            "days_disengaged_per_citizen_year", "handovers", "staff_hours_per_citizen_year",
            "staff_hours_regional", "staff_hours_municipal", "scaleups_refused", "contacts_lost",
            "cost_per_citizen_year")
# the outcomes per citizen-year, which one figure can show side by side
RATES = tuple(m for m in OUTCOMES if m.endswith("_per_citizen_year") and not m.startswith("cost"))
GAIN, COST, UNCLEAR = OKABE_ITO[2], OKABE_ITO[5], "#777777"
# one meaning per colour across a report's figures: green is a gain and vermillion a cost
# (and orange, easily read as either, is kept off); organisations and sweep series take
# the other colours of the palette, in this order
SERIES = ("#0072B2", "#CC79A7", "#56B4E9", "#000000", "#F0E442")


def series_colour(i: int) -> str:
    """The colour of the ``i``-th organisation or series of a figure (never a gain's or a cost's)."""
    return SERIES[i % len(SERIES)]


def save(fig, path: Path) -> Path:
    """Save ``fig`` as ``path`` (written to a temporary name, then renamed) and close it."""
    path = Path(path)
    with replacing(path) as tmp:
        fig.savefig(tmp, bbox_inches="tight", format=path.suffix.lstrip(".") or "png")
    plt.close(fig)
    return path


def outcome_panels(*metrics: str, lang: str = "en") -> list[tuple[str, str, str]]:
    """(metric, title, unit) for each metric, in the order given, in ``lang``."""
    return [(m, title(m, lang), words.unit(m, lang)) for m in metrics]


# the panels of each figure, as metric names: their words are looked up in the figure's language
PANELS = ("bed_days_per_citizen_year", "admissions_per_citizen_year", "coercive_admissions_per_citizen_year",
          "coercive_bed_days_per_citizen_year", "staff_hours_per_citizen_year", "scaleups_refused")
SWEEP_OUTCOMES = ("bed_days_per_citizen_year", "coercive_admissions_per_citizen_year", "scaleups_refused",
                  "staff_hours_per_citizen_year")
ALL_OUTCOMES = tuple(m for m in OUTCOMES if m != "staff_hours_per_citizen_year")


class LanguageFormatter(Formatter):
    """Tick labels as ``lang`` writes numbers, all with the same decimals: the fewest that
    write every tick of the axis exactly ("1,50 / 2,00 / 2,50", never "1,50 / 2 / 2,50"),
    or ``decimals`` when given; ``signed``: a + before positive ticks."""

    def __init__(self, lang: str, decimals: int | None = None, signed: bool = False):
        self.lang, self.fixed, self.signed = lang, decimals, signed
        self.decimals = 0 if decimals is None else decimals

    def set_locs(self, locs) -> None:
        """Choose the decimals for the ticks the axis shows now."""
        super().set_locs(locs)
        if self.fixed is not None:
            return
        d = 0
        for value in locs:
            while d < 4 and abs(round(value, d) - value) > 1e-9 * max(1.0, abs(value)):
                d += 1
        self.decimals = d

    def __call__(self, value, pos=None) -> str:
        """One tick's label."""
        d = self.decimals
        if abs(value) < 0.5 * 10 ** -d:
            value = 0.0   # never "-0"
        return numbers.number(value, self.lang, d, signed=self.signed and value != 0)


def number_axis(axis, lang: str, decimals: int | None = None, signed: bool = False) -> None:
    """Tick labels written as ``lang`` writes numbers (Danish: decimal comma), one format per
    axis; with ``decimals=0`` the ticks are whole numbers, so a label is never a rounded tick
    ("-8" at -7.5)."""
    if decimals == 0:
        axis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10]))
    axis.set_major_formatter(LanguageFormatter(lang, decimals, signed))


plt.rcParams.update({"font.size": 15, "axes.titlesize": 17, "axes.labelsize": 14,
                     "xtick.labelsize": 13, "ytick.labelsize": 13, "figure.dpi": 100})


def comparison(summary: pd.DataFrame, labels: dict[str, str], path: Path,
               panels=PANELS, title: str | None = None, lang: str = "en") -> Path:
    """Bars with 95 % intervals, one panel per outcome, organisations side by side
    (``panels`` as (metric, title, unit); in ``lang`` when given as metric names)."""
    panels = [p if isinstance(p, tuple) else outcome_panels(p, lang=lang)[0] for p in panels]
    panels = [p for p in panels if _has_values(summary, p[0])]   # no empty panels
    orgs = list(dict.fromkeys(summary["organisation"]))
    cols = 3
    rows = -(-len(panels) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(6.2 * cols, 4.8 * rows), squeeze=False)
    for ax, (metric, name, unit) in zip(axes.flat, panels):
        sub = summary[summary["metric"] == metric].set_index("organisation").reindex(orgs)
        means = sub["mean"].to_numpy()
        err = [means - sub["ci_lower"].to_numpy(), sub["ci_upper"].to_numpy() - means]
        x = range(len(orgs))
        ax.bar(x, means, yerr=err, capsize=8, color=[series_colour(i) for i in range(len(orgs))],
               edgecolor="black")
        ax.set_title(f"{name}\n({unit})")
        ax.set_xticks(list(x), [_wrap(labels.get(o, o)) for o in orgs])
        ax.set_ylim(bottom=0)
        number_axis(ax.yaxis, lang)
        ax.grid(axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    fig.suptitle(title or FIGURE[lang]["levels_plain"], fontsize=18)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    save(fig, path)
    return path


def _has_values(summary: pd.DataFrame, metric: str) -> bool:
    """Whether any organisation has a figure other than zero for ``metric`` (a panel worth drawing)."""
    means = summary.loc[summary["metric"] == metric, "mean"].to_numpy(float)
    return bool(len(means)) and bool(np.nan_to_num(np.abs(means)).sum() > 0)


def occupancy(timeseries: pd.DataFrame, labels: dict[str, str], path: Path, lang: str = "en",
              beds: int | None = None) -> Path:
    """Mean daily beds occupied and citizens in crisis, per organisation, with the warm-up
    shaded and the catchment's beds drawn as a line (``beds``; None: unlimited)."""
    w = FIGURE[lang]
    fig, axes = plt.subplots(1, 2, figsize=(16, 5.5))
    for i, (org, group) in enumerate(timeseries.groupby("organisation", sort=False)):
        daily = group.groupby("day")[["beds_occupied", "crisis"]].mean()
        years = daily.index / DAYS_PER_YEAR
        for ax, col in zip(axes, ["beds_occupied", "crisis"]):
            ax.plot(years, daily[col].rolling(30, min_periods=1).mean(), color=series_colour(i),
                    lw=2.5, label=labels.get(org, org))
    warm = timeseries.loc[timeseries["period"] == "warmup", "day"]
    for ax, key in zip(axes, ["beds", "crisis"]):
        if len(warm):
            ax.axvspan(0, (warm.max() + 1) / DAYS_PER_YEAR, color="grey", alpha=0.15, label=w["warmup"])
        ax.set_title(w[key])
        ax.set_xlabel(w["years"])
        ax.set_ylabel(w[f"{key}_axis"])
        ax.set_ylim(bottom=0)
        number_axis(ax.xaxis, lang)
        number_axis(ax.yaxis, lang)
        ax.grid(alpha=0.3)
    if beds is not None:
        axes[0].axhline(beds, color="black", lw=2, ls="--", label=w["beds_line"].format(beds=beds))
        axes[0].set_ylim(top=max(axes[0].get_ylim()[1], beds * 1.08))
    axes[0].legend(loc="lower right")
    fig.tight_layout()
    save(fig, path)
    return path


def changes(shown: pd.DataFrame, labels: dict[str, str], path: Path, metrics, lang: str = "en") -> Path:
    """A forest plot of the paired changes the report states: per organisation, each
    metric's change in % against the baseline with its interval; green where the whole
    interval is a fall (every metric is one where less is better), orange where it is a
    rise, grey otherwise. ``shown`` has organisation, baseline, metric, change_pct,
    change_pct_ci_lower and change_pct_ci_upper."""
    w = FIGURE[lang]
    orgs = list(dict.fromkeys(shown["organisation"]))
    rows = [m for m in metrics if m in set(shown.metric)]
    fig, axes = plt.subplots(1, len(orgs), figsize=(11 * len(orgs), 1.2 + 0.62 * len(rows)),
                             squeeze=False, sharey=True)
    for ax, org in zip(axes.flat, orgs):
        sub = shown[shown.organisation == org].set_index("metric")
        for y, metric in enumerate(rows):
            if metric not in sub.index or pd.isna(sub.at[metric, "change_pct"]):
                continue
            c, lo, hi = (float(sub.at[metric, k]) for k in ("change_pct", "change_pct_ci_lower",
                                                            "change_pct_ci_upper"))
            colour = GAIN if hi < 0 else COST if lo > 0 else UNCLEAR
            if not (np.isnan(lo) or np.isnan(hi)):
                ax.plot([lo, hi], [y, y], color=colour, lw=4, solid_capstyle="butt")
            ax.plot([c], [y], "o", color=colour, ms=11, mec="black")
        ax.axvline(0, color="black", lw=1)
        ax.set_yticks(range(len(rows)), [title(m, lang) for m in rows])
        ax.invert_yaxis()
        base = sub["baseline"].iloc[0] if "baseline" in sub.columns and len(sub) else ""
        ax.set_title(w["changes_title"].format(org=labels.get(org, org), base=labels.get(base, base)))
        ax.set_xlabel(w["changes_axis"])
        number_axis(ax.xaxis, lang, 0, signed=True)
        ax.grid(axis="x", alpha=0.3)
    fig.text(0.5, 0.0, w["changes_note"], ha="center", va="top", fontsize=13)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    save(fig, path)
    return path


def _wrap(text: str, width: int = 14) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _grid(n: int, cols: int = 2) -> tuple[int, int]:
    """Rows and columns for ``n`` panels, at most ``cols`` side by side, so that a figure
    embedded at page width stays legible."""
    cols = max(1, min(n, cols))
    return -(-n // cols), cols


def sweep(summary: pd.DataFrame, swept: list[str], folder: Path,
          labels: dict[str, str] | None = None, outcomes=SWEEP_OUTCOMES, lang: str = "en") -> list[Path]:
    """Sweep plots from a sweep summary: lines with 95 % bands over one numeric parameter,
    a heat map over two, bars per point otherwise. One series per organisation and value
    of any other (categorical) swept parameter. Words in ``lang``."""
    labels = labels or {}
    outcomes = outcome_panels(*outcomes, lang=lang)
    folder.mkdir(parents=True, exist_ok=True)
    numeric = [k for k in swept if _numeric(summary[k])][:2]
    other = [k for k in swept if k not in numeric]
    paths = []
    if len(numeric) == 1:
        paths.append(_sweep_lines(summary, numeric[0], other, folder / "sweep_lines.png", labels, outcomes, lang))
    elif len(numeric) == 2:
        for metric, name, unit in outcomes:
            paths.append(_sweep_heatmap(summary, numeric, other, metric, name, unit,
                                        folder / f"sweep_heatmap_{metric}.png", labels, lang))
    else:
        paths.append(_sweep_bars(summary, swept, folder / "sweep_points.png", labels, outcomes, lang))
    return paths


def _shown(key: str, v, lang: str) -> str:
    """``key: value`` as a reader knows them: the parameter's readable name and its value."""
    return f"{words.parameter(key, lang)}: {words.value(v, lang)}"


def _series(summary: pd.DataFrame, other: list[str], labels: dict[str, str], lang: str = "en"):
    for key, group in summary.groupby(["organisation", *other], sort=False, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        name = labels.get(key[0], key[0])
        extra = ", ".join(_shown(k, v, lang) for k, v in zip(other, key[1:]))
        yield (f"{name} ({extra})" if extra else name), group


def _sweep_lines(summary, x, other, path, labels, outcomes, lang="en") -> Path:
    rows, cols = _grid(len(outcomes))
    fig, axes = plt.subplots(rows, cols, figsize=(8 * cols, 5.4 * rows), squeeze=False)
    for ax, (metric, name, unit) in zip(axes.flat, outcomes):
        sub = summary[summary.metric == metric]
        for i, (label, group) in enumerate(_series(sub, other, labels, lang)):
            g = group.sort_values(x)   # means only: the paired change and its band are in sweep_changes
            ax.plot(g[x], g["mean"], marker="o", lw=2.5, color=series_colour(i), label=label)
        ax.set_title(f"{name}\n({unit})")
        ax.set_xlabel(words.parameter(x, lang))
        ax.set_ylim(bottom=0)
        number_axis(ax.xaxis, lang)
        number_axis(ax.yaxis, lang)
        ax.grid(alpha=0.3)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=min(3, len(names)), frameon=False,
               bbox_to_anchor=(0.5, -0.02 - 0.05 * (len(names) // 3)))
    fig.suptitle(FIGURE[lang]["sweep_levels"], fontsize=18)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    save(fig, path)
    return path


def _sweep_heatmap(summary, xy, other, metric, name, unit, path, labels, lang="en") -> Path:
    sub = summary[summary.metric == metric]
    series = list(_series(sub, other, labels, lang))
    fig, axes = plt.subplots(1, len(series), figsize=(7 * len(series), 6), squeeze=False)
    x, y = xy
    vmin, vmax = sub["mean"].min(), sub["mean"].max()  # one colour scale for every panel
    for ax, (label, group) in zip(axes.flat, series):
        grid = group.pivot_table(index=y, columns=x, values="mean", aggfunc="mean").sort_index()
        im = ax.imshow(grid.to_numpy(), origin="lower", aspect="auto", cmap="viridis",
                       vmin=vmin, vmax=vmax)
        ax.set_xticks(range(grid.shape[1]), [words.value(v, lang) for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [words.value(v, lang) for v in grid.index])
        ax.set_xlabel(words.parameter(x, lang))
        ax.set_ylabel(words.parameter(y, lang))
        ax.set_title(label)
        for (r, c), v in np.ndenumerate(grid.to_numpy()):
            ax.text(c, r, numbers.number(v, lang, numbers.decimals_for(v)), ha="center", va="center", fontsize=12,
                    color="white" if v < (vmin + vmax) / 2 else "black")
        fig.colorbar(im, ax=ax, label=unit)
    fig.suptitle(f"{name} ({unit}): {FIGURE[lang]['sweep_mean']}", fontsize=18)
    fig.tight_layout()
    save(fig, path)
    return path


def _sweep_bars(summary, swept, path, labels, outcomes, lang="en") -> Path:
    rows, cols = _grid(len(outcomes))
    fig, axes = plt.subplots(rows, cols, figsize=(8 * cols, 5.8 * rows), squeeze=False)
    points = list(dict.fromkeys(summary["job"]))
    for ax, (metric, name, unit) in zip(axes.flat, outcomes):
        sub = summary[summary.metric == metric]
        orgs = list(dict.fromkeys(sub.organisation))
        width = 0.8 / max(1, len(orgs))
        for i, org in enumerate(orgs):
            g = sub[sub.organisation == org].set_index("job").reindex(points)
            xs = np.arange(len(points)) + i * width
            ax.bar(xs, g["mean"], width, color=series_colour(i), edgecolor="black",
                   label=labels.get(org, org))   # means only: the paired change is in sweep_changes
        ticks = [_point_label(summary, job, swept, labels, lang) for job in points]
        ax.set_xticks(np.arange(len(points)) + 0.4 - width / 2, ticks)
        ax.set_title(f"{name}\n({unit})")
        ax.set_ylim(bottom=0)
        number_axis(ax.yaxis, lang)
        ax.grid(axis="y", alpha=0.3)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=min(4, len(names)), frameon=False)
    fig.suptitle(FIGURE[lang]["sweep_levels"], fontsize=18)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    save(fig, path)
    return path


def _point_label(table: pd.DataFrame, job: str, swept: list[str], labels: dict[str, str],
                 lang: str = "en") -> str:
    """A sweep point as a reader knows it: its swept values (``citizens per worker: 25``),
    or, when only the organisation was swept, the organisations it ran; never the job's
    number alone."""
    rows = table[table.job == job]
    values = ", ".join(_shown(k, rows.iloc[0][k], lang) for k in swept)
    if not values:
        values = " / ".join(labels.get(o, o) for o in dict.fromkeys(rows.organisation))
    return _wrap(values, 18)


def outcomes(summary: pd.DataFrame, labels: dict[str, str], path: Path, title: str,
             currency: str | None = None, lang: str = "en") -> Path:
    """Every outcome leaders asked for, organisations side by side with 95 % intervals."""
    present = set(summary["metric"])
    shown = [(m, n, f"{currency} {u}" if m.startswith("cost") and currency else u)
             for m, n, u in outcome_panels(*ALL_OUTCOMES, lang=lang) if m in present]
    return comparison(summary, labels, path, panels=shown, title=title, lang=lang)


STATE_COLOURS = {"stable": "#E8E8E8", "deteriorating": "#F0E442", "crisis": "#D55E00",
                 "waiting_for_bed": "#CC79A7", "admitted": "#0072B2",
                 "discharge_ready": "#56B4E9", "post_discharge": "#009E73", "disengaged": "#000000"}


def pathways(events: pd.DataFrame, labels: dict[str, str], path: Path, citizens: int = 15,
             replication: int = 0, start_day: float = 0.0, end_day: float | None = None,
             lang: str = "en", pick: str = "random", seed: int = 0) -> Path:
    """The same citizens' states over time under each organisation (one strip per citizen).

    ``pick``: ``random``, a random sample of the citizens present from the start (drawn
    from its own stream below ``SeedSequence(seed)``, so the same seed shows the same
    citizens), or ``busiest``, those with the most events under the first organisation;
    the title says which. A state shorter than 1/250 of the time shown (a few days of
    waiting for a bed) is drawn that wide so that every state can be seen; the title
    says so. Under common random numbers the citizens are the same in every panel, so a
    leader can follow one person through two organisations of care.
    """
    w = FIGURE[lang]
    ev = events[events.replication == replication]
    orgs = list(dict.fromkeys(ev.organisation))
    end_day = end_day if end_day is not None else float(ev.time.max())
    first = ev[ev.organisation == orgs[0]]
    present = first[first.citizen.isin(first[first.event == "enter"].query("time <= @start_day").citizen)]
    if pick == "busiest":
        chosen = list(present.groupby("citizen").size().sort_values(ascending=False).index[:citizens])
    else:
        ids = np.sort(present.citizen.unique())
        chosen = list(generator(seed, replication, FIGURES).choice(ids, min(citizens, len(ids)), replace=False))
    chosen = sorted(chosen)
    shortest = (end_day - start_day) / 250.0   # days: the narrowest state drawn
    fig, axes = plt.subplots(1, len(orgs), figsize=(9 * len(orgs), 0.45 * len(chosen) + 2.5),
                             sharey=True, squeeze=False)
    for ax, org in zip(axes.flat, orgs):
        sub = ev[(ev.organisation == org) & ev.citizen.isin(chosen)].sort_values(["citizen", "time"])
        rows = {cid: row for row, cid in enumerate(chosen)}
        spans: dict[tuple[int, str], list[tuple[float, float]]] = {}   # (row, state) -> (start, width) in years
        for cid, c in sub.groupby("citizen"):
            row = rows[cid]
            times = list(c.time) + [end_day]
            for (t0, state), t1 in zip(zip(c.time, c.state), times[1:]):
                t0, t1 = max(t0, start_day), min(t1, end_day)
                if t1 > t0 and state in STATE_COLOURS:
                    if state != "stable":
                        t1 = max(t1, t0 + shortest)
                    spans.setdefault((row, state), []).append((t0 / DAYS_PER_YEAR, (t1 - t0) / DAYS_PER_YEAR))
        for (row, state), bars in spans.items():   # one collection per citizen and state: quick to draw
            ax.broken_barh(bars, (row - 0.4, 0.8), facecolors=STATE_COLOURS[state], edgecolor="none")
        ax.set_xlim(start_day / DAYS_PER_YEAR, end_day / DAYS_PER_YEAR)
        ax.set_ylim(-0.6, len(chosen) - 0.4)
        ax.set_title(labels.get(org, org))
        ax.set_xlabel(w["years"])
        number_axis(ax.xaxis, lang)
        ax.set_yticks(range(len(chosen)), [w["citizen"].format(id=c) for c in chosen])
        ax.invert_yaxis()
    handles = [plt.Rectangle((0, 0), 1, 1, color=c, ec="grey") for c in STATE_COLOURS.values()]
    i = LANGUAGES.index(lang)
    fig.legend(handles, [STATES[s][i] for s in STATE_COLOURS], loc="lower center", ncol=4, frameon=False,
               fontsize=13)
    fig.suptitle(w["pathways_title"].format(n=len(chosen), rep=replication, how=w[f"pathways_{pick}"],
                                            days=numbers.number(shortest, lang, 0)), fontsize=16)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    save(fig, path)
    return path


UNCERTAIN = ("bed_days_per_citizen_year", "admissions_per_citizen_year", "coercive_admissions_per_citizen_year",
             "staff_hours_per_citizen_year")


def uncertainty(changes: pd.DataFrame, labels: dict[str, str], path: Path,
                panels=UNCERTAIN, title: str | None = None, lang: str = "en") -> Path:
    """Each parameter draw's change against the baseline (dots), the mean (bar) and the
    interval holding 95 % of the draws (line), per outcome and organisation."""
    orgs = list(dict.fromkeys(changes["organisation"]))
    panels = outcome_panels(*panels, lang=lang)
    fig, axes = plt.subplots(len(panels), 1, figsize=(12, 2.2 + 1.1 * len(orgs) * len(panels)),
                             squeeze=False)
    for ax, (metric, name, _unit) in zip(axes[:, 0], panels):
        for i, org in enumerate(orgs):
            c = changes[(changes.metric == metric) & (changes.organisation == org)].change_pct.dropna()
            if c.empty:
                continue
            colour = series_colour(i + 1)
            ax.scatter(c, np.full(len(c), i) + np.linspace(-0.15, 0.15, len(c)), s=22,
                       color=colour, alpha=0.6, edgecolor="none")
            lo, hi = np.percentile(c, [2.5, 97.5])
            ax.plot([lo, hi], [i, i], color="black", lw=2)
            ax.plot([c.mean()] * 2, [i - 0.3, i + 0.3], color="black", lw=3)
        ax.axvline(0, color="grey", lw=1, ls="--")
        ax.set_yticks(range(len(orgs)), [_wrap(labels.get(o, o), 22) for o in orgs])
        ax.set_title(name)
        ax.set_xlabel(FIGURE[lang]["draws_axis"])
        number_axis(ax.xaxis, lang, 0, signed=True)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(title or FIGURE[lang]["draws_title"], fontsize=17)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    save(fig, path)
    return path


def sweep_changes(changes: pd.DataFrame, swept: list[str], path: Path, labels: dict[str, str] | None = None,
                  covers: str = "noise", outcomes=SWEEP_OUTCOMES, lang: str = "en") -> Path:
    """The paired change against the baseline at every sweep point, per outcome: a line
    with its band over the first numeric swept parameter, or one point per sweep point
    labelled with its swept values. ``changes`` has job, the swept columns, organisation,
    metric, change_pct and its bounds (``change_pct_ci_lower``/``upper`` or
    ``change_pct_lower``/``upper``); ``covers``: ``noise`` (the replications' interval) or
    ``draws`` (the interval holding 95 % of the parameter draws), said in the title."""
    labels = labels or {}
    w = FIGURE[lang]
    c = as_comparison(changes)
    numeric = [k for k in swept if _numeric(c[k])][:1]
    other = [k for k in swept if k not in numeric]
    points = list(dict.fromkeys(c["job"]))
    outcomes = outcome_panels(*outcomes, lang=lang)
    rows, cols = _grid(len(outcomes))
    fig, axes = plt.subplots(rows, cols, figsize=(8 * cols, 5.8 * rows), squeeze=False)
    for ax, (metric, name, _unit) in zip(axes.flat, outcomes):
        sub = c[c.metric == metric]
        for i, (label, group) in enumerate(_series(sub, other, labels, lang)):
            colour = series_colour(i + 1)
            if numeric:
                g = group.sort_values(numeric[0])
                xs = g[numeric[0]].to_numpy(float)
            else:
                g = group.set_index("job").reindex(points).reset_index()
                xs = np.arange(len(points)) + 0.1 * i
            ax.plot(xs, g["change_pct"], marker="o", lw=2.5, ms=8, color=colour, label=label)
            if numeric:
                ax.fill_between(xs, g["change_pct_ci_lower"], g["change_pct_ci_upper"], color=colour, alpha=0.2)
            else:
                ax.errorbar(xs, g["change_pct"], yerr=[g["change_pct"] - g["change_pct_ci_lower"],
                                                       g["change_pct_ci_upper"] - g["change_pct"]],
                            fmt="none", ecolor=colour, capsize=6, lw=2)
        ax.axhline(0, color="black", lw=1)
        ax.set_title(name)
        ax.set_ylabel(w["sweep_axis"])
        number_axis(ax.yaxis, lang, 0, signed=True)
        if numeric:
            ax.set_xlabel(words.parameter(numeric[0], lang))
            number_axis(ax.xaxis, lang)
        else:
            ax.set_xticks(range(len(points)), [_point_label(c, p, swept, labels, lang) for p in points])
        ax.grid(alpha=0.3)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=min(3, max(1, len(names))), frameon=False)
    fig.suptitle(w["sweep_title_" + covers], fontsize=17)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    save(fig, path)
    return path


def optimisation_trials(table: pd.DataFrame, objective, path: Path, lang: str = "en") -> Path:
    """An optimising sweep's trials in order: each finished trial's objective with its 95 %
    interval (filled: keeps the constraints; open: breaks one), the best feasible so far as
    a step line, the best point marked."""
    from sim.output.words import OPTIMISATION

    w = OPTIMISATION[lang]
    done = table[(table.state == "complete") & table.objective.notna()]
    fig, ax = plt.subplots(figsize=(8, 4.5))
    styles: tuple[tuple[bool, dict[str, Any]], ...] = ((True, {"fmt": "o", "color": "tab:blue"}),
                                                       (False, {"fmt": "o", "color": "tab:red", "mfc": "none"}))
    for feasible, style in styles:
        part = done[done.feasible == feasible]
        if len(part):
            ax.errorbar(part.trial, part.objective, yerr=[part.objective - part.objective_ci_lower,
                                                          part.objective_ci_upper - part.objective],
                        capsize=2, lw=0.8, label=w["feasible"] if feasible else w["infeasible_point"], **style)
    sign = 1.0 if objective.direction == "minimize" else -1.0
    ok = done[done.feasible].sort_values("trial")
    if len(ok):
        running = (sign * ok.objective).cummin() * sign
        ax.step(ok.trial, running, where="post", color="black", lw=1, label=w["best_so_far"])
        best = done[done.best]
        ax.scatter(best.trial, best.objective, marker="*", s=200, color="gold", edgecolor="black", zorder=5,
                   label=w["best_point"])
    ax.set_xlabel(w["trial"])
    ax.set_ylabel(f"{objective.label_da if lang == 'da' else objective.label} ({objective.unit})")
    ax.set_title(w["trials_title"])
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def optimisation_levers(table: pd.DataFrame, levers: list[str], objective, path: Path, lang: str = "en") -> Path:
    """The objective against each lever: one panel per lever, every finished point with its
    95 % interval (open: breaks a constraint), the options that cannot be told apart from
    the best in orange, the best as a star."""
    from sim.output import words
    from sim.output.words import OPTIMISATION

    w = OPTIMISATION[lang]
    done = table[(table.state == "complete") & table.objective.notna() & table.repeat_of.isna()]
    fig, axes = plt.subplots(1, len(levers), figsize=(4.5 * len(levers), 4), squeeze=False)
    for ax, key in zip(axes[0], levers):
        x = done[key] if _numeric(done[key]) else done[key].astype(str)
        marks: tuple[tuple[Any, dict[str, Any]], ...] = (
            (done.feasible & ~done.option, {"color": "tab:blue"}),
            (~done.feasible, {"color": "tab:red", "mfc": "none"}), (done.option, {"color": "tab:orange"}))
        for mask, style in marks:
            part = done[mask]
            if len(part):
                ax.errorbar(x[mask], part.objective, yerr=[part.objective - part.objective_ci_lower,
                                                           part.objective_ci_upper - part.objective],
                            fmt="o", capsize=2, lw=0.8, **style)
        best = done[done.best]
        if len(best):
            ax.scatter(x[done.best], best.objective, marker="*", s=200, color="gold", edgecolor="black", zorder=5)
        ax.set_xlabel(words.parameter(key, lang))
    axes[0][0].set_ylabel(f"{objective.label_da if lang == 'da' else objective.label} ({objective.unit})")
    fig.suptitle(w["levers_title"])
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def acceptability(table: pd.DataFrame, labels: dict[str, str], path: Path, lang: str = "en",
                  shipped: float | None = None) -> Path:
    """The acceptability curve: each organisation's probability of the highest net benefit
    (the ``acceptability`` table) against the value of one unit of its outcome avoided;
    ``shipped``: the run's own valuation, marked."""
    w = FIGURE[lang]
    outcome = words.valued(str(table.outcome.iloc[0]), lang) if len(table) else ""
    fig, ax = plt.subplots(figsize=(10, 5.5))
    for i, (org, g) in enumerate(table.groupby("organisation", sort=False)):
        ax.plot(g["value"], 100 * g["probability"], color=series_colour(i), lw=2.5, marker="o", ms=4,
                label=labels.get(str(org), str(org)))
    if shipped is not None:
        ax.axvline(shipped, color="grey", lw=1, ls="--")
    ax.set_ylim(-3, 103)
    ax.set_xlabel(w["acceptability_axis"].format(outcome=outcome, money=words.TEXT[lang]["money_units"]))
    ax.set_ylabel(w["acceptability_y"])
    number_axis(ax.xaxis, lang, 0)
    number_axis(ax.yaxis, lang, 0)
    ax.grid(alpha=0.3)
    ax.legend(loc="best")
    ax.set_title(w["acceptability_title"].format(outcome=outcome), fontsize=15)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    save(fig, path)
    return path
