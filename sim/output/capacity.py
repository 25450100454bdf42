"""Capacity as a cost: what the staff and beds could not give, read from a run's tables.

A reorganisation that saves hours by leaving work undone has not saved anything. For
each organisation this module reads, from the run's summary and team summary:

- which teams are **overloaded**: their staff use more than ``economy.overload_utilisation``
  of their paid hours (the threshold is data, with its source, in ``economy/*.yaml``);
- the **contacts lost** for want of staff time, per kind of work (routine contacts,
  in-reach during a stay, discharge planning, outreach, intensive care), as a share of
  those asked and as a count;
- **waiting for a bed**: stays that began with a wait, and the days waited.

The report and the workshop page state these in plain words beside the money, with a
warning at the top when a team is overloaded. Hours used are never a saving: they are
stated as the share of paid hours in use (utilisation).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from sim.model.names import WORK
from sim.output import numbers

# the overload threshold when a run's configuration has none (a run from before the
# threshold was data): the shipped economy/dkk.yaml's value
DEFAULT_OVERLOAD = 0.95


@dataclass(frozen=True)
class Overload:
    """One overloaded team of one organisation: its name and the share of its paid hours in use."""
    organisation: str
    team: str           # the team's name in the report's language
    utilisation: float  # 0-1


@dataclass(frozen=True)
class Lost:
    """Contacts of one kind of work an organisation could not give."""
    organisation: str
    kind: str            # one of sim.model.names.WORK
    asked: float         # mean over replications, over the results period
    lost: float
    share: float         # lost / asked (NaN when nothing was asked)


def _mean(summary: pd.DataFrame, org: str, metric: str) -> float:
    s = summary[(summary.organisation == org) & (summary.metric == metric)]
    return float(s["mean"].iloc[0]) if len(s) else math.nan


def overloaded(team_summary: pd.DataFrame | None, summary: pd.DataFrame, org: str, threshold: float,
               team_names: dict[str, str]) -> list[Overload]:
    """The teams of ``org`` whose staff use more than ``threshold`` of their paid hours
    (the organisation as a whole when the run has no team table)."""
    out = []
    if team_summary is not None and len(team_summary):
        rows = team_summary[(team_summary.network == org) & (team_summary.metric == "staff_utilisation")]
        for _, r in rows.iterrows():
            if r["mean"] > threshold:
                out.append(Overload(org, team_names.get(r.team_kind, r.team_kind), float(r["mean"])))
        return out
    use = _mean(summary, org, "staff_utilisation")
    if use > threshold:
        out.append(Overload(org, "", use))
    return out


def lost(summary: pd.DataFrame, org: str) -> list[Lost]:
    """Each kind of work ``org`` was asked for, with what it lost (kinds never asked left out)."""
    out = []
    for kind in WORK:
        asked = _mean(summary, org, f"contacts_asked_{kind}")
        gone = _mean(summary, org, f"contacts_lost_{kind}")
        if math.isnan(asked) or asked <= 0:
            continue
        out.append(Lost(org, kind, asked, 0.0 if math.isnan(gone) else gone,
                        (0.0 if math.isnan(gone) else gone) / asked))
    return out


def threshold_of(scenario) -> float:
    """The run's overload threshold (its ``economy``), or the shipped default for a run without one."""
    economy = getattr(scenario, "economy", None)
    return DEFAULT_OVERLOAD if economy is None else float(economy.overload_utilisation)


def percent(share: float, lang: str) -> str:
    """A share as whole per cent in ``lang`` (at least 1 % when it is above zero)."""
    value = 100.0 * share
    if 0 < value < 0.5:
        return numbers.number(1, lang, 0)
    return numbers.number(value, lang, 0)
