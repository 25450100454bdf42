"""A few citizens' pathways under each organisation as an animation, from a run's event log.

Month by month, each citizen is a square in their organisation's column, coloured by
their state at that moment (the state after their last event before it). The citizens
are a random sample of those present from the start, drawn from the figures' own stream
of the run's seed (as the report's pathway plot draws them), and the same in every
column: common random numbers let a leader follow one person through two organisations.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from sim.config.units import DAYS_PER_MONTH
from sim.model.streams import FIGURES, generator
from sim.output.plots import STATE_COLOURS
from sim.output.words import LANGUAGES, STATES

EXIT = "exit"
EXIT_COLOUR = "#FFFFFF"


def sample(events: pd.DataFrame, citizens: int, seed: int, replication: int = 0) -> list[int]:
    """``citizens`` of those present from the start, drawn from the figures' stream of ``seed``."""
    ev = events[events.replication == replication]
    first = ev[ev.organisation == ev.organisation.iloc[0]]
    ids = np.sort(first[(first.event == "enter") & (first.time <= 0.0)].citizen.unique())
    pick = generator(seed, replication, FIGURES).choice(ids, min(citizens, len(ids)), replace=False)
    return sorted(int(c) for c in pick)


def states_by_month(events: pd.DataFrame, chosen: list[int], replication: int = 0) -> pd.DataFrame:
    """Each chosen citizen's state at the start of every month, per organisation:
    organisation, citizen, month, state."""
    ev = events[(events.replication == replication) & events.citizen.isin(chosen)]
    months = np.arange(0, int(ev.time.max() // DAYS_PER_MONTH) + 1)
    grid = pd.DataFrame({"time": months * DAYS_PER_MONTH, "month": months})
    out = []
    for (org, cid), c in ev.sort_values("time").groupby(["organisation", "citizen"], sort=False):
        at = pd.merge_asof(grid, c[["time", "state"]], on="time", direction="backward")
        out.append(at.assign(organisation=org, citizen=cid).dropna(subset=["state"]))
    frame = pd.concat(out, ignore_index=True)
    return frame[["organisation", "citizen", "month", "state"]]


def animation(events: pd.DataFrame, labels: dict[str, str], seed: int, lang: str, texts: dict[str, str],
              citizens: int = 12):
    """A Plotly figure: the chosen citizens (rows) under each organisation (columns),
    coloured by state, one frame a month with a play button and a slider.

    Every frame draws the same squares in the same places, one trace per organisation
    and citizen ids on every point (Plotly's object constancy), and frames change
    without a transition: a square changes colour when its citizen's state changes and
    never moves, so no citizen ever travels between organisations' columns. The states'
    legend is drawn once from empty traces."""
    import plotly.graph_objects as go

    chosen = sample(events, citizens, seed)
    frame = states_by_month(events, chosen)
    i = LANGUAGES.index(lang)
    names = {s: STATES[s][i] for s in STATE_COLOURS}
    names[EXIT] = texts["gone"]
    colours = {**STATE_COLOURS, EXIT: EXIT_COLOUR}
    orgs = list(dict.fromkeys(frame.organisation))
    rows = [f"{texts['citizen']} {c}" for c in chosen]
    months = sorted(frame.month.unique())
    grid = frame.set_index(["organisation", "citizen", "month"]).state

    def squares(month) -> list:
        traces = []
        for org in orgs:
            states = [grid.get((org, c, month)) for c in chosen]
            present = [k for k, st in enumerate(states) if st is not None and not pd.isna(st)]
            traces.append(go.Scatter(
                x=[labels.get(org, org)] * len(present), y=[rows[k] for k in present],
                ids=[f"{org}:{chosen[k]}" for k in present], mode="markers", showlegend=False,
                marker={"symbol": "square", "size": 26, "color": [colours[states[k]] for k in present],
                        "line": {"width": 1, "color": "#444"}},
                hovertext=[f"{rows[k]}: {names[states[k]]}" for k in present], hoverinfo="text",
                name=labels.get(org, org)))
        return traces

    legend = [go.Scatter(x=[None], y=[None], mode="markers", name=names[s], showlegend=True,
                         marker={"symbol": "square", "size": 14, "color": colours[s],
                                 "line": {"width": 1, "color": "#444"}}) for s in names]
    fig = go.Figure(data=squares(months[0]) + legend,
                    frames=[go.Frame(data=squares(m), name=str(m), traces=list(range(len(orgs)))) for m in months])
    still = {"frame": {"duration": 500, "redraw": True}, "transition": {"duration": 0}, "mode": "immediate"}
    fig.update_layout(
        height=190 + 38 * len(chosen), margin={"l": 10, "r": 10, "t": 30, "b": 90},
        legend={"title": texts["state"]},
        xaxis={"categoryorder": "array", "categoryarray": [labels.get(o, o) for o in orgs], "title": ""},
        yaxis={"categoryorder": "array", "categoryarray": rows[::-1], "title": ""},
        updatemenus=[{"type": "buttons", "showactive": False, "direction": "left", "x": 0, "y": 0,
                      "xanchor": "left", "yanchor": "top", "pad": {"t": 60},
                      "buttons": [{"label": "▶", "method": "animate", "args": [None, {**still, "fromcurrent": True}]},
                                  {"label": "❚❚", "method": "animate",
                                   "args": [[None], {**still, "frame": {"duration": 0, "redraw": False}}]}]}],
        sliders=[{"currentvalue": {"prefix": f"{texts['month']}: "}, "transition": {"duration": 0},
                  "x": 0.14, "len": 0.86, "y": 0, "yanchor": "top", "pad": {"t": 40},
                  "steps": [{"label": str(m), "method": "animate",
                             "args": [[str(m)], {**still, "frame": {"duration": 0, "redraw": True}}]}
                            for m in months]}])
    return fig, len(chosen)
