"""The team layout on the map: where each organisation's teams are based, which
municipalities each covers, and an outcome per municipality.

Drawn from a run's tables only: ``geography`` (each municipality's main town, its
target group), ``capacity`` (each team's base and the municipalities it covers) and
``municipality_summary`` (the outcome per municipality and organisation). No map tiles:
the towns' coordinates are enough for a leader to recognise the region. One panel per
organisation, the same colour scale in every panel.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from sim.output import numbers, words
from sim.output.words import FIGURE, title

COLOURS = "cividis"     # a sequential colour map readable with colour-vision deficiency
BASE_COLOUR = "#D55E00"   # Okabe-Ito vermilion: the team bases and their catchment lines
PANEL_AREA = 1500.0       # marker area in points^2 of the municipality with the largest target group


def can_draw(geography: pd.DataFrame | None) -> bool:
    """Whether the catchment's towns have positions to draw (not a hand-set catchment)."""
    return (geography is not None and len(geography) > 1
            and geography[["lat", "lon"]].notna().all().all())


def layout_map(geography: pd.DataFrame, capacity: pd.DataFrame, municipality_summary: pd.DataFrame,
               labels: dict[str, str], path: Path, metric: str = "bed_days_per_citizen_year",
               lang: str = "en") -> Path:
    """One panel per organisation: municipalities as circles (area: target group; colour:
    ``metric``'s mean), each case-management team's base as a star with lines to the
    municipalities it covers."""
    from matplotlib.colors import Normalize  # matplotlib loads only where a map is drawn

    from sim.output import plots
    plt = plots.plt
    geo = geography.set_index("municipality")
    orgs = [o for o in labels if o in set(capacity.organisation)]
    means = municipality_summary[municipality_summary.metric == metric]
    norm = Normalize(means["mean"].min(), means["mean"].max())
    cmap = plt.get_cmap(COLOURS)
    aspect = 1 / math.cos(math.radians(float(geo.lat.mean())))   # degrees of longitude are shorter
    wide = (geo.lon.max() - geo.lon.min()) / aspect
    high = geo.lat.max() - geo.lat.min()
    panel = (7.0, max(3.5, min(9.0, 7.0 * high / max(wide, 1e-9)) + 1.2))
    radius = (PANEL_AREA * geo.target_group / geo.target_group.max()) ** 0.5   # points
    fig, axes = plt.subplots(1, len(orgs), figsize=(panel[0] * len(orgs) + 1.5, panel[1] + 1.0),
                             squeeze=False, layout="constrained")
    f = FIGURE[lang]
    for ax, org in zip(axes[0], orgs):
        teams = capacity[(capacity.organisation == org) & capacity.case_management]
        for _, team in teams.iterrows():
            if not team.base or team.base not in geo.index:
                continue
            b = geo.loc[team.base]
            for m in (m for m in str(team.covers).split() if m in geo.index):
                ax.plot([b.lon, geo.loc[m].lon], [b.lat, geo.loc[m].lat], color=BASE_COLOUR, lw=1.5,
                        alpha=0.7, zorder=1)
            ax.scatter([b.lon], [b.lat], marker="*", s=380, color=BASE_COLOUR, edgecolor="black",
                       linewidth=0.6, zorder=4)
        shown = means[means.organisation == org].set_index("municipality")["mean"].reindex(geo.index)
        ax.scatter(geo.lon, geo.lat, s=radius ** 2, c=[cmap(norm(v)) for v in shown], edgecolor="black",
                   linewidth=0.6, zorder=2)
        ax.set_aspect(aspect)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.margins(0.1)
        ax.set_title(f["map_panel"].format(org=labels[org], n=numbers.number(len(teams), lang, 0)), fontsize=13)
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=axes[0].tolist(), shrink=0.8)
    bar.set_label(f"{title(metric, lang)}, {words.unit(metric, lang)}", fontsize=12)
    plots.number_axis(bar.ax.yaxis, lang)
    bar.ax.tick_params(labelsize=11)
    fig.suptitle(f["map_title"], fontsize=15)
    fig.supxlabel(f["map_note"], fontsize=10)
    fig.canvas.draw()   # positions in points are known only after a draw
    for ax in axes[0]:
        _names(ax, geo, radius)
    return plots.save(fig, path)


def _names(ax, geo: pd.DataFrame, radius: pd.Series) -> None:
    """Each municipality's name beside its circle: below, above, right or left, the first
    place where it overlaps no name already written (largest municipalities first)."""
    taken: list = []
    renderer = ax.figure.canvas.get_renderer()
    for m in radius.sort_values(ascending=False).index:
        row, r = geo.loc[m], float(radius[m]) / 2 + 2
        for dx, dy, ha, va in ((0, -r, "center", "top"), (0, r, "center", "bottom"),
                               (r, 0, "left", "center"), (-r, 0, "right", "center")):
            text = ax.annotate(str(row.label), (row.lon, row.lat), xytext=(dx, dy), textcoords="offset points",
                               ha=ha, va=va, fontsize=9, zorder=5)
            box = text.get_window_extent(renderer)
            if not any(box.overlaps(other) for other in taken):
                break
            text.remove()
        else:
            text = ax.annotate(str(row.label), (row.lon, row.lat), xytext=(0, -r), textcoords="offset points",
                               ha="center", va="top", fontsize=9, zorder=5)
            box = text.get_window_extent(renderer)
        taken.append(box)
