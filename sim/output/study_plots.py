"""Researchers' plots: the pre/post decomposition, the posterior, its predictive check and
sensitivity indices. Like :mod:`sim.plots`, made from saved tables only."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.output import plots
from sim.output.numbers import number
from sim.output.plots import OKABE_ITO, number_axis, plt, series_colour
from sim.output.words import FIGURE, STUDY_WORDS

MEASURES = ("admissions", "coercive_admissions", "bed_days", "coercive_bed_days", "people_admitted", "crises")


def _save(fig, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    return plots.save(fig, path)   # looked up when called: one saving rule for every figure


def ratio_panels(summary: pd.DataFrame, path: Path, title: str,
                 targets: dict[str, float] | None = None, target_label: str | None = None,
                 lang: str = "en") -> Path:
    """One panel per measure; bars per quantity (mean, 95 % interval); 1 = no change.

    ``summary`` has columns measure, quantity, mean, ci_lower, ci_upper; words in ``lang``.
    """
    w = STUDY_WORDS[lang]
    measures = [m for m in MEASURES if m in set(summary.measure)]
    quantities = list(dict.fromkeys(summary.quantity))
    cols = 3
    rows = -(-len(measures) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(6.2 * cols, 4.6 * rows), squeeze=False)
    for ax, measure in zip(axes.flat, measures):
        part = summary[summary.measure == measure].set_index("quantity")
        for i, q in enumerate(quantities):
            if q not in part.index:
                continue
            r = part.loc[q]
            err = np.array([[r["mean"] - r["ci_lower"]], [r["ci_upper"] - r["mean"]]])
            ax.bar(i, r["mean"], color=series_colour(i), yerr=np.nan_to_num(err),
                   capsize=6, label=w.get(q, q))
        ax.axhline(1.0, color="black", lw=1)
        if targets and targets.get(measure) is not None:
            ax.axhline(targets[measure], color="black", lw=2.5, ls="--", label=target_label or w["target"])
        ax.set_title(w[measure])
        ax.set_xticks([])
        ax.set_ylabel(w["axis"])
        number_axis(ax.yaxis, lang)
    for ax in list(axes.flat)[len(measures):]:
        ax.axis("off")
    handles: dict[str, Any] = {}
    for ax in axes.flat:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(lab, h)
    fig.legend(handles=list(handles.values()), labels=list(handles), loc="lower center", ncol=len(handles),
               bbox_to_anchor=(0.5, -0.04), frameon=False)
    fig.suptitle(title)
    return _save(fig, path)


def posterior_pairs(particles: pd.DataFrame, parameters: list[str], path: Path,
                    bounds: dict[str, tuple[float, float]], truth: dict[str, float] | None = None,
                    lang: str = "en") -> Path:
    """Weighted histograms on the diagonal, weighted scatter below: the final ABC population.
    Parameters are named as the configuration names them (a researcher's view)."""
    k = len(parameters)
    fig, axes = plt.subplots(k, k, figsize=(3.6 * k + 1, 3.4 * k + 1), squeeze=False)
    w = particles["weight"].to_numpy(float)
    for i, py in enumerate(parameters):
        for j, px in enumerate(parameters):
            ax = axes[i, j]
            if j > i:
                ax.axis("off")
                continue
            if i == j:
                ax.hist(particles[px], bins=20, range=bounds[px], weights=w, color=OKABE_ITO[0])
                ax.set_xlim(bounds[px])
                if truth and px in truth:
                    ax.axvline(truth[px], color="black", lw=2)
            else:
                ax.scatter(particles[px], particles[py], s=8 + 400 * w / w.max() / max(1, len(w) / 50),
                           color=OKABE_ITO[0], alpha=0.5)
                ax.set_xlim(bounds[px])
                ax.set_ylim(bounds[py])
            number_axis(ax.xaxis, lang)
            number_axis(ax.yaxis, lang)
            if i == k - 1:
                ax.set_xlabel(px.split(".", 1)[-1], fontsize=11)
            if j == 0 and i != j:
                ax.set_ylabel(py.split(".", 1)[-1], fontsize=11)
    fig.suptitle(FIGURE[lang]["posterior_title"])
    return _save(fig, path)


def sensitivity_bars(indices: pd.DataFrame, value: str, error: str | None, path: Path,
                     method: str, lang: str = "en") -> Path:
    """Tornado-style horizontal bars per output: parameters sorted by ``value``; ``method``
    (``morris`` or ``sobol``) names the title and axis in ``lang``."""
    outputs = list(dict.fromkeys(indices.output))
    fig, axes = plt.subplots(1, len(outputs), figsize=(7.0 * len(outputs), 0.45 * indices.parameter.nunique() + 2.5),
                             squeeze=False)
    for ax, out in zip(axes.flat, outputs):
        part = indices[indices.output == out].sort_values(value)
        y = np.arange(len(part))
        xerr = part[error].to_numpy(float) if error else None
        ax.barh(y, part[value], xerr=xerr, color=OKABE_ITO[0], capsize=3)
        ax.set_yticks(y, [p.split(".", 1)[-1] for p in part.parameter], fontsize=11)
        ax.set_title(out)
        ax.set_xlabel(FIGURE[lang][f"{method}_axis"])
        number_axis(ax.xaxis, lang)
    fig.suptitle(FIGURE[lang][f"{method}_title"])
    return _save(fig, path)


def target_check(check: pd.DataFrame, path: Path, name: str, lang: str = "en") -> Path:
    """Every target of every set on one relative scale: the published range (grey) and
    value (line) against the simulated mean and 95 % interval, each divided by the
    published value, so a level in days and a ratio can stand in one figure. ``name``:
    the target set's name; words in ``lang``."""
    w = FIGURE[lang]
    rows = check[check.kind != "direction"].reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(9.5, 0.42 * len(rows) + 1.8))
    y = np.arange(len(rows))[::-1]
    for yi, (_, r) in zip(y, rows.iterrows()):
        v = r["target"] if r["target"] else 1.0
        ax.barh(yi, (r["target_high"] - r["target_low"]) / v, left=r["target_low"] / v, height=0.6,
                color="0.85", label=w["ppc_range"])
        colour = OKABE_ITO[2] if r["met"] else OKABE_ITO[5]
        ax.errorbar(r["mean"] / v, yi, xerr=[[max(0.0, (r["mean"] - r["ci_lower"]) / v)],
                                             [max(0.0, (r["ci_upper"] - r["mean"]) / v)]],
                    fmt="o", color=colour, capsize=3,
                    label=w["ppc_in"] if r["met"] else w["ppc_out"])
    ax.axvline(1.0, color="black", lw=1)
    ax.set_yticks(y, [f"{r.target_set}: {r.metric}" for r in rows.itertuples()], fontsize=10)
    ax.set_xlabel(w["ppc_axis"])
    number_axis(ax.xaxis, lang)
    handles: dict[str, Any] = {}
    for h, lab in zip(*ax.get_legend_handles_labels()):
        handles.setdefault(lab, h)
    ax.legend(handles=list(handles.values()), labels=list(handles), loc="lower right", fontsize=9)
    ax.set_title(w["ppc_title"].format(name=name))
    return _save(fig, path)


def target_pull(pull: pd.DataFrame, path: Path, lang: str = "en") -> Path:
    """Which targets pull which parameters: Spearman rank correlation between each prior
    draw's parameter and each target's simulated value (a heat map, -1 to 1)."""
    pull = pull.assign(target=pull.target_set + ": " + pull.metric)
    grid = pull.pivot(index="target", columns="parameter", values="spearman")
    grid = grid.reindex(index=list(dict.fromkeys(pull.target)), columns=list(dict.fromkeys(pull.parameter)))
    fig, ax = plt.subplots(figsize=(1.5 * grid.shape[1] + 4.5, 0.42 * grid.shape[0] + 2.2))
    im = ax.imshow(grid.to_numpy(float), cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
    for (i, j), v in np.ndenumerate(grid.to_numpy(float)):
        if np.isfinite(v):
            ax.text(j, i, number(v, lang, 2), ha="center", va="center", fontsize=9,
                    color="white" if abs(v) > 0.6 else "black")
    ax.set_xticks(range(grid.shape[1]), [c.split(".", 1)[-1] for c in grid.columns], rotation=35, ha="right")
    ax.set_yticks(range(grid.shape[0]), list(grid.index))
    bar = fig.colorbar(im, ax=ax, label=FIGURE[lang]["pull_axis"])
    number_axis(bar.ax.yaxis, lang)
    ax.set_title(FIGURE[lang]["pull_title"])
    return _save(fig, path)
