"""What the face-validity tests pull: one organisation's staffing levers, run side by side
with the baseline under common random numbers, pooled over replications."""
from __future__ import annotations

import dataclasses

from sim.config.params import Organisation, Scenario
from sim.experiments.simulate import simulate

RATES = ("bed_days", "admissions", "coercive_admissions", "coercive_bed_days", "crises", "dropouts",
         "days_disengaged", "contacts_delivered", "contacts_lost")


def pooled(sc: Scenario, org: Organisation, replications: int) -> dict[str, float]:
    """Rates per citizen-year of ``org``, counts pooled over ``replications``; and the mean
    length of stay."""
    runs = [simulate(sc, org, rep, tables=False).metrics for rep in range(replications)]
    years = sum(m["citizen_years"] for m in runs)
    out = {k: sum(m[k] for m in runs) / years for k in RATES}
    stays = sum(m["admissions"] for m in runs)
    out["mean_length_of_stay"] = (sum(m["mean_length_of_stay"] * m["admissions"] for m in runs) / stays
                                  if stays else float("nan"))
    return out


def with_team(org: Organisation, team: str, **changes) -> Organisation:
    """``org`` with one team's spec changed (e.g. caseload=60, pulled_back_share={...})."""
    teams = dict(org.teams)
    teams[team] = dataclasses.replace(teams[team], **changes)
    label = ",".join(f"{k}={v}" for k, v in changes.items())
    return dataclasses.replace(org, teams=teams, name=f"{org.name}[{label}]")
