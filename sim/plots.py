"""Comparison plots made from the tidy tables only (never from model internals).

Readable on a projector: large type, units in every title, the Okabe-Ito
colour-blind-safe palette, one panel per outcome.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]

PANELS = [
    ("bed_days_per_citizen_year", "Bed days", "days per citizen-year"),
    ("admissions_per_citizen_year", "Admissions", "per citizen-year"),
    ("coercive_admissions_per_citizen_year", "Coercive admissions", "per citizen-year"),
    ("coercive_bed_days_per_citizen_year", "Coercive bed days", "days per citizen-year"),
    ("staff_hours_per_citizen_year", "Staff hours used", "hours per citizen-year"),
    ("scaleups_refused", "Scale-ups refused", "count over results period"),
]

plt.rcParams.update({"font.size": 15, "axes.titlesize": 17, "axes.labelsize": 14,
                     "xtick.labelsize": 13, "ytick.labelsize": 13, "figure.dpi": 100})


def comparison(summary: pd.DataFrame, labels: dict[str, str], path: Path,
               panels=PANELS, title: str | None = None) -> Path:
    """Bars with 95 % intervals, one panel per outcome, organisations side by side."""
    orgs = list(dict.fromkeys(summary["organisation"]))
    cols = 3
    rows = -(-len(panels) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(6.2 * cols, 4.8 * rows), squeeze=False)
    for ax, (metric, name, unit) in zip(axes.flat, panels):
        sub = summary[summary["metric"] == metric].set_index("organisation").reindex(orgs)
        means = sub["mean"].to_numpy()
        err = [means - sub["ci_lower"].to_numpy(), sub["ci_upper"].to_numpy() - means]
        x = range(len(orgs))
        ax.bar(x, means, yerr=err, capsize=8, color=OKABE_ITO[:len(orgs)], edgecolor="black")
        ax.set_title(f"{name}\n({unit})")
        ax.set_xticks(list(x), [_wrap(labels.get(o, o)) for o in orgs])
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    fig.suptitle(title or "Mean with 95 % interval across replications", fontsize=18)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    return path


def occupancy(timeseries: pd.DataFrame, labels: dict[str, str], path: Path) -> Path:
    """Mean daily beds occupied and citizens in crisis, per organisation, with the warm-up shaded."""
    fig, axes = plt.subplots(1, 2, figsize=(16, 5.5))
    for i, (org, group) in enumerate(timeseries.groupby("organisation", sort=False)):
        daily = group.groupby("day")[["beds_occupied", "crisis"]].mean()
        years = daily.index / 365.0
        for ax, col in zip(axes, ["beds_occupied", "crisis"]):
            ax.plot(years, daily[col].rolling(30, min_periods=1).mean(), color=OKABE_ITO[i],
                    lw=2.5, label=labels.get(org, org))
    warm = timeseries.loc[timeseries["period"] == "warmup", "day"]
    for ax, title in zip(axes, ["Beds occupied (30-day mean)", "Citizens in crisis (30-day mean)"]):
        if len(warm):
            ax.axvspan(0, (warm.max() + 1) / 365.0, color="grey", alpha=0.15, label="warm-up")
        ax.set_title(title)
        ax.set_xlabel("years")
        ax.set_ylabel("citizens (mean over replications)")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[0].legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
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
