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
    coloured by state, one frame a month with a play button and a slider."""
    import plotly.express as px

    chosen = sample(events, citizens, seed)
    frame = states_by_month(events, chosen)
    i = LANGUAGES.index(lang)
    names = {s: STATES[s][i] for s in STATE_COLOURS}
    names[EXIT] = texts["gone"]
    frame["shown_state"] = frame.state.map(names)
    frame["shown_org"] = frame.organisation.map(lambda o: labels.get(o, o))
    frame["shown_citizen"] = frame.citizen.map(lambda c: f"{texts['citizen']} {c}")
    # Plotly makes one trace per state from the first frame: every state gets an empty
    # point in every frame, so that a state first seen later still shows
    empty = pd.DataFrame([{"month": m, "shown_state": n, "shown_org": None, "shown_citizen": None}
                          for m in frame.month.unique() for n in names.values()])
    frame = pd.concat([frame, empty], ignore_index=True)
    colours = {names[s]: c for s, c in STATE_COLOURS.items()}
    colours[names[EXIT]] = EXIT_COLOUR
    fig = px.scatter(frame, x="shown_org", y="shown_citizen", color="shown_state", animation_frame="month",
                     color_discrete_map=colours, symbol_sequence=["square"],
                     category_orders={"shown_state": list(names.values()),
                                      "shown_citizen": [f"{texts['citizen']} {c}" for c in chosen],
                                      "shown_org": [labels.get(o, o) for o in dict.fromkeys(frame.organisation)]},
                     labels={"shown_org": "", "shown_citizen": "", "shown_state": texts["state"],
                             "month": texts["month"]})
    fig.update_traces(marker={"size": 26, "line": {"width": 1, "color": "#444"}})
    fig.update_layout(height=120 + 38 * len(chosen), margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"title": texts["state"]})
    return fig, len(chosen)
