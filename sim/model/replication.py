"""One replication of one organisation: a catchment of citizens over warm-up + results.

The population is open ([model]): the catchment starts with its expected target
group, all stable; entrants arrive as a Poisson process at ``target x exit rate``,
so the size stays level while citizens exit at their own drawn times. Arrivals and
attributes come from a population stream that no organisation touches, so every
organisation meets the same citizens (common random numbers).
"""
from __future__ import annotations

import gc
from dataclasses import dataclass
from itertools import chain
from typing import Final

import numpy as np
import pandas as pd

from sim.config.params import CarePlan, Scenario
from sim.config.units import DAYS_PER_MONTH, DAYS_PER_YEAR
from sim.model.care_network import CareNetwork
from sim.model.catchment import Catchment
from sim.model.citizen import Attributes, Citizen
from sim.model.event_log import EventLog
from sim.model.names import STATES, TEAM_TOTALS, WORK
from sim.model.process import discard_pending
from sim.model.recorder import merged
from sim.model.rollout import RollOut
from sim.model.streams import BATCH, population_stream

TIMESERIES_COLUMNS = ["day", *STATES, "beds_occupied", "on_intensive_care", "citizens"]


@dataclass
class ReplicationResult:
    """What one replication of one organisation gives: metrics and its tidy frames."""
    metrics: dict[str, float]
    events: pd.DataFrame | None
    timeseries: pd.DataFrame | None   # None when the run was asked for its metrics only
    citizens: pd.DataFrame | None
    cohort: list[int] | None = None   # a study's enrolled citizens (their ids)
    municipalities: pd.DataFrame | None = None   # outcomes per municipality: municipality, metric, value
    teams: pd.DataFrame | None = None            # each team's own figures: network, team, metric, value
    log: EventLog | None = None   # the event log as the model kept it (citizen, time, event, state, sector, team)
    staffing: pd.DataFrame | None = None   # a roll-out's staff changes: day, team, FTE by sector, covers


class Model(Catchment[Citizen]):
    """One replication of the organisation of care ``plan`` (its care plan, resolved with
    the scenario: :meth:`Scenario.care_plan <sim.config.params.Scenario.care_plan>`): the
    catchment its citizens share (:class:`~sim.model.catchment.Catchment`), the
    citizens' arrivals, a study's inclusion date, the run and its results.
    ``enrol_into``: at a study's inclusion date, move the enrolled citizens to this
    organisation's care plan (``plan`` serves everyone before, and the others after)."""

    def __init__(self, scenario: Scenario, plan: CarePlan, replication: int,
                 enrol_into: CarePlan | None = None, rollout: CarePlan | None = None):
        """``rollout``: the care plan whose sites start on the scenario's roll-out dates
        (``plan`` serves every site until then)."""
        super().__init__(scenario, plan, replication)
        self.enrol_into = enrol_into
        self.cohort: list[int] = []
        self._citizens: list[tuple] = []
        self._rng = population_stream(self.seed, replication)
        self._attributes: list[Attributes] = []   # the next citizens' attributes, drawn in batches
        self._names = list(self.population.municipalities)
        sizes = np.array([m.target_group for m in self.population.municipalities.values()])
        self._muni_p = (sizes / sizes.sum()).tolist()
        self.env.process(self._arrivals())
        if scenario.study is not None:
            self.env.process(self._inclusion())
        self.rollout: RollOut | None = None
        if rollout is not None and scenario.rollout is not None:
            self.rollout = RollOut(self, rollout, scenario.rollout)

    # -- population ------------------------------------------------------------------
    def _draw_attributes(self) -> Attributes:
        """The next citizen's attributes, from the population stream ``BATCH`` citizens at
        a time (the same citizens under every organisation)."""
        if not self._attributes:
            self._attributes = self._attribute_batch(BATCH)
        return self._attributes.pop()

    def _attribute_batch(self, n: int) -> list[Attributes]:
        """``n`` citizens' attributes, in reverse order of arrival (popped from the end)."""
        pop, rng = self.population, self._rng
        u = rng.random((n, 4)).tolist()
        severity = rng.gamma(pop.severity_shape, 1.0 / pop.severity_shape, n)
        k = pop.engagement_concentration
        engagement = rng.beta(pop.engagement_mean * k, (1.0 - pop.engagement_mean) * k, n).tolist()
        prior = rng.poisson(pop.prior_admissions_per_year * severity * 2.0).tolist()
        ages, age_p = list(pop.age_bands), list(pop.age_bands.values())
        diagnoses, diagnosis_p = list(pop.diagnoses), list(pop.diagnoses.values())
        batch = [Attributes(
            municipality=_pick(self._names, self._muni_p, ui[0]),
            age_band=_pick(ages, age_p, ui[1]),
            diagnosis=_pick(diagnoses, diagnosis_p, ui[2]),
            dual_diagnosis=ui[3] < pop.dual_diagnosis_share,
            severity=s, engagement=e, prior_admissions=int(p),
        ) for ui, s, e, p in zip(u, severity.tolist(), engagement, prior)]
        batch.reverse()
        return batch

    def _admit_citizen(self) -> None:
        cid = len(self._citizens)
        attrs = self._draw_attributes()
        citizen = Citizen(self, cid, attrs)
        now = self.env.now
        self.census.arrive(now, cid, citizen)
        self._citizens.append((cid, now, citizen.exit_time, attrs.municipality, attrs.age_band,
                               attrs.diagnosis, attrs.dual_diagnosis, attrs.severity,
                               attrs.engagement, attrs.prior_admissions))
        citizen.start()

    def _arrivals(self):
        pop = self.population
        for _ in range(int(round(pop.target_group))):
            self._admit_citizen()
        rate = 0.0 if pop.cohort else pop.target_group * pop.exit_rate_per_year / DAYS_PER_YEAR
        if rate <= 0.0:
            return
        while True:
            yield self.env.timeout(self._rng.exponential(1.0 / rate))
            self._admit_citizen()

    # -- a study's inclusion date ------------------------------------------------------
    def _inclusion(self):
        """Enrol the citizens who meet the criteria; move them if this arm changes organisation."""
        yield self.env.timeout(self.scenario.inclusion_day)
        rule = self.scenario.study.enrolment
        now = self.env.now
        since = now - rule.lookback_months * DAYS_PER_MONTH
        alive = self.census.citizens
        for citizen in alive.values():
            a = citizen.attrs
            if rule.diagnoses and a.diagnosis not in rule.diagnoses:
                continue
            if rule.dual_diagnosis_only and not a.dual_diagnosis:
                continue
            if rule.recent_event != "none":
                times = citizen.crises if rule.recent_event == "crisis" else citizen.admissions
                if sum(1 for t in times if t >= since) < rule.min_events:
                    continue
            self.cohort.append(citizen.id)
        if self.enrol_into is None:
            return
        if self.scenario.study.moves == "catchment":
            # the organisation takes over the whole catchment, entrants included
            network = CareNetwork(self.enrol_into, self.clinical, self.rec)
            self.network.close(now)
            self.network, self.networks = network, [network]
            movers = list(alive.values())
        else:
            # only the enrolled move, to teams sized for them; the rest stay where they were
            movers = [alive[cid] for cid in self.cohort]
            covered = dict.fromkeys(self.population.municipalities, 0.0)
            for citizen in movers:
                covered[citizen.attrs.municipality] += 1.0
            network = CareNetwork(self.enrol_into, self.clinical, self.rec, covered)
            self.networks.append(network)
        for citizen in movers:
            citizen.transfer(network)

    # -- running ---------------------------------------------------------------------
    def run(self, tables: bool = True) -> ReplicationResult:
        """Run to the end of the results period and collect the metrics and frames
        (``tables=False``: the metrics and a study's cohort and event log only, for tools
        that read nothing else, such as a calibration's simulations)."""
        # Python's cycle collector would scan every live citizen again and again, a cost
        # that grows with the population; citizens leave no reference cycles behind
        # (their objects are freed by reference counting when they exit), so the
        # collector is paused while the model runs. The citizens still waiting at the end
        # are held in cycles (a citizen's process refers to the citizen, and the event it
        # waits for to both); they are released before the collector resumes, so it does
        # not scan the whole run once more on its next pass.
        paused = gc.isenabled()
        gc.disable()
        try:
            self.env.run(until=self.end)
            self.census.sample(self.end)   # the days since the last change
            for citizen in list(self.census.citizens.values()):
                citizen.close(self.end)
            for network in self.networks:
                network.close(self.end)
            cohort = list(self.cohort) if self.scenario.study is not None else None
            if tables:
                result = ReplicationResult(self.metrics(), self._events_frame(), self._timeseries(),
                                           self._citizen_frame(), cohort, self._municipality_frame(),
                                           self._team_frame())
            else:   # the log as the model kept it (a study's counts read it), a frame only if asked
                result = ReplicationResult(self.metrics(), self._events_frame() if self.scenario.event_log
                                           else None, None, None, cohort)
            result.log = self.events
            if self.rollout is not None:
                result.staffing = self.rollout.staffing_frame()
            self._release()
        finally:
            if paused:
                gc.enable()
        return result

    def _release(self) -> None:
        """Drop the finished run's processes, citizens, logs and what the recorders kept per
        citizen (a model runs once): what they held is freed by reference counting, without
        the cycle collector, which would otherwise visit all of it on its next pass."""
        # a citizen waiting for a bed and the ward's event refer to each other (the event's
        # callbacks resume the citizen's process); close() has stopped every process
        discard_pending(self.env, self.ward.drain())
        self.census.citizens.clear()
        for rec in (self.rec, *self.recorders.values()):
            rec.release()
        self.events = None
        self.census.rows.clear()
        self._citizens.clear()

    def metrics(self) -> dict[str, float]:
        """Every metric of the replication, from the recorder's totals (rates per citizen-year)."""
        rec = merged([self.rec, *self.recorders.values()])
        t = rec.totals
        get = lambda k: float(t[k])  # noqa: E731  (a misspelt name fails)
        years = (self.end - self.warmup) / DAYS_PER_YEAR
        citizen_years = get("citizen_days") / DAYS_PER_YEAR
        out = {"citizen_years": citizen_years}
        for key in ("admissions", "coercive_admissions", "bed_days", "coercive_bed_days",
                    "bed_blocking_days", "crises", "days_disengaged"):
            out[key] = get(key)
            out[f"{key}_per_citizen_year"] = get(key) / citizen_years if citizen_years else np.nan
        for key in ("days_stable", "days_deteriorating", "days_admitted", "days_post_discharge",
                    "deteriorations", "crises_averted", "crises_resolved_at_home", "days_in_crisis",
                    "bed_wait_days", "admissions_waited", "dropouts", "lost_at_handover",
                    "reengagements", "handovers", "handover_gap_days", "scaleups_requested",
                    "scaleups", "scaleups_refused", "contacts_delivered", "contacts_lost",
                    "staff_hours_regional", "staff_hours_municipal", "driving_hours", "exits"):
            out[key] = get(key)
        out["people_admitted"] = float(len(rec.people_admitted))
        out["coercive_share_of_admissions"] = (get("coercive_admissions") / get("admissions")
                                               if get("admissions") else np.nan)
        used, utilisation, asked, lost_share = staff_use(t)
        out["staff_hours"] = used
        out["staff_utilisation"] = utilisation
        out["staff_hours_per_citizen_year"] = used / citizen_years if citizen_years else np.nan
        out["contacts_asked"] = asked
        out["contacts_lost_share"] = lost_share
        for kind in WORK:   # each kind of work: asked, and lost for want of staff time
            out[f"contacts_asked_{kind}"] = get(f"asked_{kind}")
            out[f"contacts_lost_{kind}"] = get(f"asked_{kind}") - get(f"delivered_{kind}")
        fte = {"regional": 0.0, "municipal": 0.0}
        cm_fte = 0.0
        for team in (t for network in self.networks for t in network.teams):
            for sector, value in team.paid_fte().items():
                fte[sector] += value
            if team.spec.case_management:
                cm_fte += team.case_manager_fte
        out["staff_fte_regional"] = fte["regional"]
        out["staff_fte_municipal"] = fte["municipal"]
        mean_citizens = citizen_years / years
        out["caseload_per_case_manager"] = mean_citizens / cm_fte if cm_fte else np.nan
        costs = self.scenario.costs
        if costs is not None:
            out["cost_beds"] = (get("bed_days") * costs.bed_day
                                + get("coercive_bed_days") * costs.coercive_bed_day_extra)
            out["cost_staff"] = (get("staff_hours_regional") * costs.staff_hour_regional
                                 + get("staff_hours_municipal") * costs.staff_hour_municipal)
            out["cost_total"] = out["cost_beds"] + out["cost_staff"]
            out["cost_per_citizen_year"] = out["cost_total"] / citizen_years if citizen_years else np.nan
        seen = rec.teams_seen
        out["teams_per_citizen"] = float(np.mean([len(s) for s in seen.values()])) if seen else 0.0
        daily = [row for row in self.census.rows if self.warmup <= row[0] < self.end]
        beds_col = 1 + len(STATES)
        out["mean_beds_occupied"] = float(np.mean([r[beds_col] for r in daily])) if daily else np.nan
        stays = rec.stays
        out["mean_length_of_stay"] = float(np.mean([s[1] for s in stays])) if stays else np.nan
        blocked = [s[2] for s in stays if s[2] > 0.0]
        out["stays_with_blocking_share"] = len(blocked) / len(stays) if stays else np.nan
        out["blocking_days_per_blocked_stay"] = float(np.mean(blocked)) if blocked else np.nan
        out.update(heavy_use(rec.admissions_in_year.values()))
        return out

    def _events_frame(self) -> pd.DataFrame | None:
        """The event log as a frame (see :class:`EventLog`)."""
        return None if self.events is None else self.events.frame()

    def _timeseries(self) -> pd.DataFrame:
        rows = self.census.rows   # read in one pass, without numpy working out the shape of a list of rows
        counts = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * len(TIMESERIES_COLUMNS))
        df = pd.DataFrame(counts.reshape(-1, len(TIMESERIES_COLUMNS)), columns=TIMESERIES_COLUMNS)
        df.insert(1, "period", np.where(df["day"] < self.warmup, "warmup", "results"))
        return df

    def _municipality_frame(self) -> pd.DataFrame:
        """The citizens' outcomes per municipality (they count where they live)."""
        rows: list[tuple] = []
        for m, rec in self.recorders.items():
            t = rec.totals
            citizen_years = t["citizen_days"] / DAYS_PER_YEAR
            values = {"citizen_years": citizen_years,
                      "people_admitted": float(len(rec.people_admitted))}
            values.update((key, float(t[key])) for key in MUNICIPALITY_TOTALS)
            for key in MUNICIPALITY_RATES:
                values[f"{key}_per_citizen_year"] = t[key] / citizen_years if citizen_years else np.nan
            rows.extend((m, metric, value) for metric, value in values.items())
        return pd.DataFrame.from_records(rows, columns=["municipality", "metric", "value"])

    def _team_frame(self) -> pd.DataFrame:
        """Each team's own figures over the results period: its staff, their hours and use,
        driving, contacts delivered and lost, scale-ups taken and refused."""
        rows: list[tuple] = []
        for network in self.networks:
            for team in network.teams:
                t = team.totals
                used, utilisation, _, lost_share = staff_use(t)
                paid = team.paid_fte()
                values = {"citizens_covered": team.citizens_covered,
                          "staff_fte_regional": paid["regional"],
                          "staff_fte_municipal": paid["municipal"],
                          **{key: float(t[key]) for key in TEAM_TOTALS}, "staff_hours": used,
                          "staff_utilisation": utilisation, "contacts_lost_share": lost_share,
                          "scaleups": t["scaleups"], "scaleups_refused": t["scaleups_refused"]}
                rows.extend((network.org.name, team.name, team.base_name, team.site, team.base or "",
                             metric, value) for metric, value in values.items())
        return pd.DataFrame.from_records(rows, columns=["network", "team", "team_kind", "site", "base",
                                                        "metric", "value"])

    def _citizen_frame(self) -> pd.DataFrame:
        return pd.DataFrame.from_records(self._citizens, columns=[
            "citizen", "entered", "exit_time", "municipality", "age_band", "diagnosis",
            "dual_diagnosis", "severity", "engagement", "prior_admissions"])


# what each municipality's recorder gives as its own outcomes, and which of them per citizen-year
MUNICIPALITY_TOTALS = ("admissions", "coercive_admissions", "bed_days", "coercive_bed_days",
                       "bed_blocking_days", "crises", "days_in_crisis", "days_disengaged", "dropouts",
                       "lost_at_handover", "scaleups_requested", "scaleups_refused")
MUNICIPALITY_RATES = ("admissions", "coercive_admissions", "bed_days", "coercive_bed_days", "crises",
                      "days_disengaged")

def staff_use(t) -> tuple[float, float, float, float]:
    """From a catchment's or a team's totals: staff hours used, their share of the hours
    available, routine and intensive contacts asked, and the share of them lost (NaN
    where there is nothing to divide by)."""
    used = float(t["staff_hours_regional"]) + float(t["staff_hours_municipal"])
    available = float(t["staff_hours_available"])
    asked = float(t["contacts_delivered"]) + float(t["contacts_lost"])
    return (used, used / available if available else np.nan, asked,
            float(t["contacts_lost"]) / asked if asked else np.nan)


HEAVY_USE: Final = 5   # admissions in a year that make a heavy user, as in the Danish table [dk2015]


def heavy_use(counts) -> dict[str, float]:
    """The distribution of admissions per admitted citizen-year (whole years of the
    results period): how many citizen-years had an admission, their mean number of
    admissions, the share with one admission, the share with ``HEAVY_USE`` or more, and
    the most in one year."""
    counts = list(counts)
    if not counts:
        return {"admitted_citizen_years": 0.0, "admissions_per_admitted_citizen_year": np.nan,
                "single_admission_share": np.nan, "heavy_user_share": np.nan,
                "most_admissions_in_a_year": 0.0}
    return {"admitted_citizen_years": float(len(counts)),
            "admissions_per_admitted_citizen_year": float(np.mean(counts)),
            "single_admission_share": float(np.mean([n == 1 for n in counts])),
            "heavy_user_share": float(np.mean([n >= HEAVY_USE for n in counts])),
            "most_admissions_in_a_year": float(max(counts))}


def _pick(names, probs, u: float) -> str:
    """Inverse-CDF choice with one uniform draw (keeps the stream's count fixed)."""
    acc = 0.0
    for name, p in zip(names, probs):
        acc += p
        if u < acc:
            return name
    return names[-1]
