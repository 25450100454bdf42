"""A citizen: one long-lived process (a generator that SimPy's events drive) through the states of [model].

stable -> deteriorating -> (stable | crisis) -> (stable | waiting_for_bed -> admitted
-> discharge_ready) -> post_discharge -> stable ...; disengaged from stable (drop-out)
or at a hand-over; exit at a time drawn on entry (death, moving, leaving the group).

Competing risks are drawn as waiting times and the earliest wins, so the process
needs no interrupts. Every decision draws the same count of numbers from its own
stream whatever the branch taken, which keeps a citizen's streams in step across
organisations (common random numbers).

Mechanisms ([model] numbering): detection through contacts and shared information
(1), scale-up limited by free staff time (2), crisis resolution by support level (3),
in-reach and waiting for municipal offers (4), hand-overs with delay and loss (5),
drop-out, outreach and re-engagement (6), staff load (7), beds (8).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from sim.config.units import DAYS_PER_WEEK, DAYS_PER_YEAR
from sim.model.course import IllnessCourse
from sim.model.draws import Draws
from sim.model.names import (
    ADMITTED,
    CRISIS,
    DETERIORATING,
    DISCHARGE_READY,
    DISENGAGED,
    EXIT,
    IN_BED,
    POST_DISCHARGE,
    STABLE,
    WAITING_FOR_BED,
    WORK,
)
from sim.model.process import SelfScheduled, Waits
from sim.model.streams import CitizenStreams, unit_exponential
from sim.model.team import ZERO_LOAD, Load, LoadChange, Moves

if TYPE_CHECKING:   # typed for mypy and for the compiled core (sim.model.native)
    from sim.model.catchment import Catchment
    from sim.model.team import Team

# a state's step: a generator of the days the citizen waits (None: it waits for an event
# it has subscribed to itself), returning the next state
Step = Generator[float | None, None, str]

INF: Final = math.inf
_log1p: Final = math.log1p

WARD_STATES: Final = frozenset((WAITING_FOR_BED, ADMITTED, DISCHARGE_READY))   # logged as the ward's
# time in each state is added to these totals
STATE_DAYS: Final = {STABLE: "days_stable", DETERIORATING: "days_deteriorating",
                     CRISIS: "days_in_crisis", WAITING_FOR_BED: "bed_wait_days",
                     ADMITTED: "days_admitted", DISCHARGE_READY: "bed_blocking_days",
                     POST_DISCHARGE: "days_post_discharge", DISENGAGED: "days_disengaged"}

# care levels: what load the citizen puts on which team
ROUTINE: Final = "routine"
INTENSIVE: Final = "intensive"
INPATIENT: Final = "inpatient"
INPATIENT_PLANNING: Final = "inpatient_planning"   # in a bed, with discharge planned from admission
OUT_OF_CONTACT: Final = "out_of_contact"
NO_CARE: Final = "none"

# the kinds of work a team gives (sim.model.names.WORK), as the teams index them
ROUTINE_WORK: Final = WORK.index("routine")
INREACH_WORK: Final = WORK.index("inreach")
PLANNING_WORK: Final = WORK.index("planning")
OUTREACH_WORK: Final = WORK.index("outreach")
INTENSIVE_WORK: Final = WORK.index("intensive")


def _log_kind(key: tuple) -> tuple[str, str, str, str]:
    """An entry of the event log, (event, state, sector, team), from the citizen's key of
    it: (event, state), or (event, state, team) for a citizen in the community. In the
    ward the team is the ward's; out of contact, or gone, there is none."""
    event, state = key[0], key[1]
    if state in WARD_STATES:
        return event, state, "regional", "ward"
    if len(key) == 2:
        return event, state or EXIT, "", ""
    team = key[2]
    return event, state, team.sector_label, team.name


@dataclass(frozen=True)
class Attributes:
    """What a citizen brings on entry, drawn from the population stream (the same under every organisation)."""
    municipality: str
    age_band: str
    diagnosis: str
    dual_diagnosis: bool
    severity: float
    engagement: float
    prior_admissions: int


class Citizen(SelfScheduled):
    """One citizen's pathway as a SimPy process (see the module docstring for the states and
    mechanisms): :meth:`run` goes from state to state, each state's step a generator of the
    days the citizen waits (:class:`~sim.model.process.SelfScheduled` does the waiting)."""

    # attributes in slots, read without a dictionary (a step reads them many times)
    __slots__ = ("m", "id", "attrs", "entered", "rec", "c", "rng", "draw", "exit_time", "net", "care", "org",
                 "course", "hazard", "loss_multiplier", "dropout_base", "state", "since", "level", "engaged",
                 "coercive", "intensive_until", "admissions", "crises", "_loads", "_offer")

    def __init__(self, model: Catchment[Citizen], cid: int, attrs: Attributes):
        super().__init__(model.env)
        self.m = model
        self.id = cid
        self.attrs = attrs
        self.entered = model.env.now
        self.rec = model.recorders[attrs.municipality]   # counts go to the citizen's municipality
        c = self.c = model.clinical
        pop = model.population
        self.rng: CitizenStreams = model.blocks.streams(cid)
        self.draw = draw = Draws(self.rng)
        self.exit_time = self.entered + draw.exit_days(pop.exit_rate_per_year / DAYS_PER_YEAR)
        self.net = model.network_for(attrs.municipality)
        self.care = self.net.for_municipality(attrs.municipality)
        self.org = model.organisation if self.net is model.network else self.net.org
        self.course = IllnessCourse(self.entered, c.course.unwell_hazard_ratio, c.course.unwell_mean_days,
                                    c.course.well_mean_days, draw.course_uniform, draw.course_phase)
        self.hazard = (c.deterioration_rate_per_year / DAYS_PER_YEAR * attrs.severity
                       * (c.dual_diagnosis_hazard_ratio if attrs.dual_diagnosis else 1.0)
                       * c.diagnosis_hazard_ratio[attrs.diagnosis])
        self.loss_multiplier = (1.0 - attrs.engagement) / (1.0 - pop.engagement_mean)
        self.dropout_base = self._dropout_base()
        self.state: str | None = None
        self.since = self.entered
        self.level = NO_CARE
        self.engaged = True
        self.coercive = False
        self.intensive_until = -INF
        self.admissions: list[float] = []   # admission times, for enrolment rules
        self.crises: list[float] = []       # crisis times, for enrolment rules
        self._loads: dict[tuple[Team, int], Load] = {}   # this citizen's load per (team, kind of work)
        # discharge planning of the current stay: (needs a municipal offer, planning from
        # admission, days the offer takes), drawn at the hand-over into the ward
        self._offer = (False, False, 0.0)

    def _dropout_base(self) -> float:
        """Drop-out per day before outreach: the citizen's engagement and the number of
        separate plans (responsibility: one plan, or one per team)."""
        c = self.c
        plans = self.net.plans(self.care)
        return (c.dropout_rate_per_year / DAYS_PER_YEAR * self.loss_multiplier
                * (1.0 + c.dropout_ratio_per_extra_plan * (plans - 1)))

    def _dropout_rate(self) -> float:
        """Mechanism 6: drop-out per day now; assertive outreach lowers it in proportion to
        the share of its routine work the outreach team delivers (none with no staff)."""
        outreach = self.care.outreach
        if outreach is None:
            return self.dropout_base
        dose = outreach.routine_fulfilment()
        return self.dropout_base * (1.0 - (1.0 - self.c.outreach_dropout_ratio) * dose)

    def _routine_support(self) -> float:
        """The share of the citizen's routine contacts their routine teams deliver now (0
        if they ask none): the dose of standard support in a crisis (mechanism 3)."""
        asked = given = 0.0
        for team in self.care.routine:
            per_week = team.spec.routine_contacts_per_week
            asked += per_week
            given += per_week * team.routine_fulfilment()
        return given / asked if asked > 0.0 else 0.0

    def transfer(self, network) -> None:
        """Enrolment in a study, or a roll-out's team taking the citizen in: from now on
        ``network``'s organisation serves this citizen.

        A planned transfer (assumption): no gap and nobody lost on the way. Waiting times
        already drawn in the current state run out as drawn; the new organisation's
        mechanisms apply from the next decision on.
        """
        self.now = self.env.now   # called by a study's or a roll-out's process, not the citizen's
        self.net = network
        self.org = network.org
        self.care = network.for_municipality(self.attrs.municipality)
        self.dropout_base = self._dropout_base()
        self._apply(self.level, self._moves_to(self.level))   # from the old teams to the new ones

    def reread_organisation(self) -> None:
        """The organisation serving the citizen has matured (a roll-out's fidelity ramp):
        its current values apply from the next decision on."""
        self.org = self.net.org

    def _time_to(self, e: float, rate: float) -> float:
        """Days until a deterioration at ``rate`` per day (on average over the illness
        course), following the course's phases, for a cumulative hazard ``e`` (a standard
        exponential drawn for it)."""
        now = self.now
        if self.m.trend is not None:   # a study's calendar trend, as at the start of the wait
            rate *= self.m.crisis_trend(now)
        return self.course.time_to_event(now, e, rate)

    # -- bookkeeping ----------------------------------------------------------------
    def _log(self, event: str, now: float) -> None:
        """Append an event at ``now`` to the run's log, if it keeps one (the names the model logs
        are checked against ``EVENTS`` by a test that reads this module); a run without
        an event log that runs a study keeps only the events the study counts."""
        m = self.m
        log = m.events
        if log is None or (m.logged is not None and event not in m.logged):
            return
        state = self.state
        if state in WARD_STATES or state is None or state == DISENGAGED:
            key: tuple = (event, state)
        else:   # in the community: the team responsible for the citizen now
            care = self.care
            key = (event, state, care.intensive if self.level == INTENSIVE else care.case_management)
        code = log.codes_by_key.get(key)
        if code is None:
            code = log.codes_by_key[key] = log.kind_code(_log_kind(key))
        log.add_kind(self.id, now, code)

    def _enter(self, state: str, event: str) -> None:
        now = self.now
        m = self.m
        m.census.move(now, self.state, state)
        self._close_state(now)
        self.state = state
        self.since = now
        if m.events is not None:
            self._log(event, now)

    def _close_state(self, now: float) -> None:
        """Add the time spent in the current state to its totals."""
        state = self.state
        if state is None:
            return
        rec = self.rec
        rec.span(STATE_DAYS[state], self.since, now)
        if state in IN_BED:
            rec.span("bed_days", self.since, now)
            if self.coercive and state == ADMITTED:
                rec.span("coercive_bed_days", self.since, now)

    def _wait(self, delay: float) -> tuple[float, bool]:
        """The wait of ``delay`` days, cut short if the citizen exits first: the days to
        yield, and whether the citizen is still here after them."""
        now = self.now
        if now + delay >= self.exit_time:
            return max(0.0, self.exit_time - now), False
        return delay, True

    def _set_care(self, level: str) -> None:
        """Move the citizen's load on teams to a new care level (mechanism 7).

        The load is (contacts, hours, driving hours) per week of each kind of work on each
        team; each that changes is told once. What a change of level does depends only on
        the municipality and the two levels, so the care network keeps it for every
        citizen of the municipality.
        """
        key = (self.attrs.municipality, self.level, level)
        moves = self.net.moves.get(key)
        if moves is None:
            moves = self.net.moves[key] = self._moves_to(level)
        self._apply(level, moves)

    def _moves_to(self, level: str) -> Moves:
        """From the load now to the load at ``level``: the changes in a fixed order (old
        loads first, then new ones), the new load and the names of the teams serving at
        that level."""
        new = self._load(level)
        old = self._loads
        changes = []
        for (team, kind), load in old.items():
            after = new.get((team, kind), ZERO_LOAD)
            if after != load:
                changes.append(LoadChange(team, kind, Load(after.contacts - load.contacts,
                                                           after.hours - load.hours, after.drive - load.drive)))
        changes.extend(LoadChange(team, kind, load) for (team, kind), load in new.items() if (team, kind) not in old)
        names = tuple(dict.fromkeys(team.base_name for team, _ in new))
        return Moves(tuple(changes), new, names)

    def _apply(self, level: str, moves: Moves) -> None:
        now = self.now
        for change in moves.changes:
            change.team.change(now, change.kind, change.delta)
        rec = self.rec
        if moves.teams and rec.start <= now < rec.end:   # the teams that served the citizen
            rec.teams_seen[self.id].update(moves.teams)
        self._loads = moves.loads
        if (level == INTENSIVE) != (self.level == INTENSIVE):
            self.m.census.intensive(now, level == INTENSIVE)
        self.level = level

    def _load(self, level: str) -> dict[tuple[Team, int], Load]:
        """The load per team and kind of work that this citizen puts on the teams at a care level."""
        c, care, mun = self.c, self.care, self.attrs.municipality
        new: dict[tuple[Team, int], Load] = {}

        def put(team: Team, kind: int, per_week: float, home: bool) -> None:
            if per_week > 0:
                h, d = team.contact_hours(mun, home)
                was = new.get((team, kind), ZERO_LOAD)
                new[(team, kind)] = Load(was.contacts + per_week, was.hours + per_week * h, was.drive + per_week * d)

        if level == INTENSIVE:
            put(care.intensive, INTENSIVE_WORK, c.intensive_contacts_per_week, True)
        if level in (ROUTINE, INTENSIVE):
            for team in care.routine:
                if not (level == INTENSIVE and team is care.intensive):
                    put(team, ROUTINE_WORK, team.spec.routine_contacts_per_week, team.spec.home_visits)
        elif level in (INPATIENT, INPATIENT_PLANNING):
            for team in care.routine:   # visits in the ward: the round trip of a home visit
                if team.spec.inreach:
                    put(team, INREACH_WORK, c.inreach_contacts_per_week, True)
            if level == INPATIENT_PLANNING:
                put(care.case_management, PLANNING_WORK, c.discharge_planning_contacts_per_week, True)
        elif level == OUT_OF_CONTACT and care.outreach is not None:
            put(care.outreach, OUTREACH_WORK, c.outreach_attempts_per_week, True)
        return new

    def _count_handover(self) -> None:
        now = self.now
        self.rec.count("handovers", now)
        self._log("handover", now)

    def _handover(self, delay_draw: float, loss_draw: float) -> bool:
        """A hand-over between teams with a gap before first contact; True if the citizen is lost."""
        now = self.now
        self._count_handover()
        delay = delay_draw * self.org.handover_delay_mean_days
        m = self.loss_multiplier
        p_kept = (1.0 - min(1.0, self.c.handover_loss_prob * m)) * math.exp(
            -self.c.loss_hazard_per_day_without_contact * delay * m)
        self.rec.count("handover_gap_days", now, delay)
        return loss_draw >= p_kept

    def _request_intensive(self) -> bool:
        """Ask the intensive team to scale the citizen up (board or acute team)."""
        now = self.now
        rec = self.rec
        team = self.care.intensive
        hours = self.c.intensive_contacts_per_week * team.contact_hours(self.attrs.municipality, True)[0]
        rec.count("scaleups_requested", now)
        if not team.can_take_intensive(hours):
            rec.count("scaleups_refused", now)
            team.scale_up(now, False)
            self._log("scale_up_refused", now)
            return False
        rec.count("scaleups", now)
        team.scale_up(now, True)
        self.engaged = True
        self._set_care(INTENSIVE)
        self.intensive_until = now + self.c.intensive_episode_days
        self._log("scale_up", now)
        if team is not self.care.case_management:
            self._count_handover()  # into the acute team: no gap, nobody is lost going up
        return True

    # -- the process ---------------------------------------------------------------
    def start(self) -> None:
        """Enter the catchment: the process runs until its first wait."""
        self.drive(self.run())

    def run(self) -> Waits:
        """The process: from stable through the states until the citizen exits."""
        self._enter(STABLE, "enter")
        self._set_care(ROUTINE)
        state = STABLE
        while state != EXIT:
            state = yield from STATE_STEPS[state](self)
        self._exit()

    def _exit(self) -> None:
        now = self.now
        census = self.m.census
        census.move(now, self.state, None)
        self._set_care(NO_CARE)
        self._close_state(now)
        self.state = None
        self._log("exit", now)
        self.rec.count("exits", now)
        self.rec.span("citizen_days", self.entered, now)
        census.leave(now, self.id)

    def close(self, now: float) -> None:
        """End of run: close open spans and stop the process."""
        self.stop()
        self.m.census.move(now, self.state, None)
        self._close_state(now)
        self.rec.span("citizen_days", self.entered, now)

    def _stable(self) -> Step:
        if self.state != STABLE:
            self._enter(STABLE, "stable")
        now = self.now
        t_det = self._time_to(self.draw.deterioration(), self.hazard)
        t_drop = self.draw.dropout_days(self._dropout_rate())  # drawn on every branch
        if self.level == INTENSIVE:  # nobody drops out of intensive care; it ends by itself
            t_drop, t_down = INF, max(0.0, self.intensive_until - now)
        else:
            t_down = INF
        t = min(t_det, t_drop, t_down)
        wait, here = self._wait(t)
        yield wait
        if not here:
            return EXIT
        if t == t_down:
            return self._scale_down()
        if t == t_drop:
            self.rec.count("dropouts", self.now)
            return DISENGAGED
        return DETERIORATING

    def _scale_down(self) -> str:
        self._set_care(ROUTINE)
        self._log("scale_down", self.now)
        delay, loss = self.draw.handover()  # on every branch
        if self.care.intensive is not self.care.case_management:
            if self._handover(delay, loss):
                self.rec.count("lost_at_handover", self.now)
                return DISENGAGED
        return STABLE

    def _escalation_time(self) -> float:
        """Days from the first warning sign to a scale-up decision (inf if none): the
        earliest of the detection channels, each a time to see the sign and a time to
        decide (mechanisms 1 and 2). Four numbers of each kind are drawn whatever the
        channels, so the streams stay in step."""
        # the uniforms; a channel's waiting times are made from its own two (by inversion,
        # as CitizenStreams.standard_exponential makes them), so absent channels cost nothing
        seen, wait = self.draw.detection()
        key = (self.attrs.municipality, self.level == INTENSIVE, self.engaged)
        channels = self.net.channels.get(key)
        if channels is None:
            channels = self.net.channels[key] = self._detection_channels(key[1], key[2])
        best = INF
        for slot, team, rate, reach, delay in channels:
            if team is not None:   # a routine team: as often as it delivers contacts now
                rate = rate * team.routine_fulfilment() * self.c.detection_prob_per_contact * reach
            if rate > 0:
                t = -_log1p(-seen[slot]) / rate + -_log1p(-wait[slot]) * delay
                if t < best:
                    best = t
        return best

    def _detection_channels(self, intensive: bool, engaged: bool) -> tuple[tuple, ...]:
        """Mechanism 1: who can see a warning sign, as (slot, team, signs seen per day,
        chance that the sign reaches the acting team, mean delay to a decision). The
        intensive team if the citizen is on intensive care; the citizen's routine teams
        if engaged, as often as they deliver contacts and as far as what they see reaches
        the team that can scale up; and the citizen, a relative or the GP asking for
        help. The board decides at once in its own team; any other channel goes through
        a referral.

        What does not change while the model runs is worked out here, once per
        municipality and (intensive, engaged) in each care network. A routine team's
        channel holds its contacts per day; the share of them it delivers now, the chance
        of detection per contact and the reach make its rate when a sign comes. The other
        channels have no team and hold their rate."""
        c, care, net = self.c, self.care, self.net
        acting = care.intensive
        channels: list[tuple] = []
        if intensive:
            channels.append((0, None, c.intensive_contacts_per_week / DAYS_PER_WEEK
                             * c.detection_prob_per_contact, 1.0, 0.0))
        if engaged:
            for slot, team in ((1, care.case_management), (2, care.social_support)):
                if slot == 2 and team is care.case_management:
                    continue
                if intensive and team is acting:
                    continue
                channels.append((slot, team, team.spec.routine_contacts_per_week / DAYS_PER_WEEK,
                                 net.info_prob(team, acting), self._decision_delay(team)))
        channels.append((3, None, c.self_referral_rate_per_year / DAYS_PER_YEAR, 1.0,
                         self._decision_delay(care.case_management)))
        return tuple(channels)

    def _decision_delay(self, seen_by: Team) -> float:
        """Mean days from a sign seen by ``seen_by`` to the decision: the board's delay in
        the intensive team itself, a referral delay from any other team (mechanism 2)."""
        acting = self.care.intensive
        return (acting.spec.board_delay_mean_days if seen_by is acting
                else self.org.referral_delay_mean_days)

    def _deteriorating(self) -> Step:
        self._enter(DETERIORATING, "deterioration")
        rec = self.rec
        rec.count("deteriorations", self.now)
        window = self.draw.warning_window(self.c.warning_window_mean_days)
        averts = self.draw.crisis_averted(self.c.crisis_averted_prob)
        s = self._escalation_time()
        if s < window:
            wait, here = self._wait(s)
            yield wait
            if not here:
                return EXIT
            if self.level == INTENSIVE:
                accepted = True
                self.intensive_until = max(self.intensive_until,
                                           self.now + self.c.intensive_episode_days)
            else:
                accepted = self._request_intensive()
            if accepted and averts:
                rec.count("crises_averted", self.now)
                return STABLE
            window -= s
        wait, here = self._wait(window)
        yield wait
        if not here:
            return EXIT
        return CRISIS

    def _crisis(self) -> Step:
        self._enter(CRISIS, "crisis")
        now = self.now
        self.crises.append(now)
        self.rec.count("crises", now)
        u_admit, u_coerce, home_days = self.draw.crisis(self.c.crisis_home_mean_days)
        p_admit, p_coerce = self._crisis_risks()
        if u_admit < p_admit:
            self.coercive = u_coerce < p_coerce
            return WAITING_FOR_BED
        self.rec.count("crises_resolved_at_home", now)
        wait, here = self._wait(home_days)
        yield wait
        if not here:
            return EXIT
        return STABLE if self.engaged else DISENGAGED

    def _crisis_risks(self) -> tuple[float, float]:
        """Mechanism 3: the chances that the crisis ends in admission, and that an
        admission is coercive, by the support the citizen gets: intensive care (on it
        already, or scaled up now); standard support, in proportion to the share of their
        routine contacts their teams deliver (none delivered: as with no support); or
        none, out of contact. Validation keeps intensive <= standard <= none."""
        c = self.c
        admit, coerce = c.admission_prob, c.coercion_prob
        if self.level == INTENSIVE or (self.engaged and self._request_intensive()):
            return admit["intensive"], coerce["intensive"]
        if not self.engaged:
            return admit["none"], coerce["none"]
        dose = self._routine_support()
        return (admit["none"] + (admit["standard"] - admit["none"]) * dose,
                coerce["none"] + (coerce["standard"] - coerce["none"]) * dose)

    def _admission(self) -> Step:
        """Into the ward (mechanism 8), the stay and any wait for a municipal offer
        (mechanism 4), then the hand-overs at discharge (mechanism 5)."""
        yield from self._get_bed()
        admitted_at = self._admit()
        los, blocking = self._stay_and_blocking()
        yield los
        if blocking > 0.0:
            self._enter(DISCHARGE_READY, "ready_for_discharge")
            yield blocking
        return self._discharge(admitted_at, blocking)

    def _get_bed(self) -> Generator[None, None, None]:
        """Mechanism 8: the hand-over into the ward, and a wait if no bed is free.
        Whether the stay will need a municipal offer, and whether the organisation starts
        discharge planning at admission, are known here (mechanism 4): a planned stay puts
        the planning on the citizen's case-management team from now on."""
        rec, now, c = self.rec, self.now, self.c
        self.engaged = True
        self._count_handover()  # community -> ward, in every organisation
        u_need, u_planned, offer = self.draw.offer(c.municipal_offer_wait_mean_days)
        needs = u_need < c.needs_municipal_offer_prob
        planned = needs and u_planned < self.org.discharge_planning_from_admission_prob
        self._offer = (needs, planned, offer)
        self._set_care(INPATIENT_PLANNING if planned else INPATIENT)
        wait = self.m.ward.request()
        if wait is not None:
            self._enter(WAITING_FOR_BED, "bed_wait")
            rec.count("admissions_waited", now)
            wait.callbacks.append(self.resume)   # the bed handed on resumes the process
            yield None

    def _admit(self) -> float:
        """Count the admission (voluntary or coercive); return its time."""
        rec, admitted_at = self.rec, self.now
        self._enter(ADMITTED, "coercive_admission" if self.coercive else "admission")
        self.admissions.append(admitted_at)
        rec.count("admissions", admitted_at)
        if self.coercive:
            rec.count("coercive_admissions", admitted_at)
        if rec.in_window(admitted_at):
            rec.people_admitted.add(self.id)
        rec.admission(self.id, admitted_at)
        return admitted_at

    def _stay_and_blocking(self) -> tuple[float, float]:
        """Mechanism 4: the length of stay and the days in bed after it waiting for a
        municipal offer, each acting in proportion to the work the case-management team
        delivers when the stay starts (the share ``f`` of its work other than intensive
        care that it can give):

        - in-reach (a team that follows its citizens into the ward): the stay is
          ``1 - (1 - inreach_los_ratio) x f`` times as long;
        - discharge planning from admission: the wait for the municipal offer starts
          ``f x`` the stay before discharge instead of at it (no planning: at discharge).
        """
        c = self.c
        los = self.draw.los(c.los_shape, c.los_mean_days["coercive" if self.coercive else "voluntary"])
        if self.m.trend is not None:   # a study's calendar trend
            los *= self.m.los_trend(self.now)
        team = self.care.case_management
        f = team.routine_fulfilment()
        if team.spec.inreach and c.inreach_contacts_per_week > 0:
            los *= 1.0 - (1.0 - c.inreach_los_ratio) * f
        needs, planned, offer = self._offer
        blocking = 0.0
        if needs:
            head_start = los * f if planned and c.discharge_planning_contacts_per_week > 0 else 0.0
            blocking = max(0.0, offer - head_start)
        return los, blocking

    def _discharge(self, admitted_at: float, blocking: float) -> str:
        """Mechanism 5: leave the bed; each community team that did not follow the citizen
        through the stay takes over with a gap and a risk of losing them."""
        rec, now = self.rec, self.now
        self.m.ward.release()
        if rec.in_window(admitted_at):
            rec.stays.append((admitted_at, now - admitted_at, blocking))
        self._log("discharge", now)
        # two delays' uniforms, then two losses', on every branch
        u = self.draw.discharge_handovers()
        lost = False
        for i, team in enumerate(self.care.routine):
            if not team.spec.inreach:
                lost |= self._handover(unit_exponential(u[i]), u[2 + i])
        if now >= self.exit_time:
            return EXIT
        if lost:
            rec.count("lost_at_handover", now)
            return DISENGAGED
        self._set_care(ROUTINE)
        return POST_DISCHARGE

    def _post_discharge(self) -> Step:
        self._enter(POST_DISCHARGE, "post_discharge")
        relapse = self._time_to(self.draw.relapse(), self.hazard * self.c.post_discharge_hazard_ratio)
        t = min(relapse, self.c.post_discharge_days)
        wait, here = self._wait(t)
        yield wait
        if not here:
            return EXIT
        return DETERIORATING if relapse < self.c.post_discharge_days else STABLE

    def _disengaged(self) -> Step:
        if self.state != DISENGAGED:
            self._enter(DISENGAGED, "disengaged")
        self.engaged = False
        self._set_care(OUT_OF_CONTACT)
        t_det = self._time_to(self.draw.deterioration(), self.hazard * self.c.disengaged_hazard_ratio)
        t_re = self.draw.reengagement_days(self._reengagement_rate())
        t = min(t_det, t_re)
        wait, here = self._wait(t)
        yield wait
        if not here:
            return EXIT
        if t == t_re:
            self.rec.count("reengagements", self.now)
            self.engaged = True
            self._set_care(ROUTINE)
            return STABLE
        return DETERIORATING


    def _reengagement_rate(self) -> float:
        """Mechanism 6: re-engagements per day out of contact: on the citizen's own, and by
        assertive outreach in proportion to the share of its work the outreach team
        delivers (none with no staff)."""
        c = self.c
        rate = 0.0 if c.spontaneous_reengagement_mean_days is None else 1.0 / c.spontaneous_reengagement_mean_days
        outreach = self.care.outreach
        if outreach is not None:
            mean = outreach.spec.reengagement_mean_days
            assert mean is not None   # an outreach team has one (sim.config.params validates it)
            rate += outreach.routine_fulfilment() / mean
        return rate


# what each state does: a generator of the days the citizen waits, returning the next state
STATE_STEPS: dict[str, Callable[[Citizen], Step]] = {
    STABLE: Citizen._stable, DETERIORATING: Citizen._deteriorating, CRISIS: Citizen._crisis,
    WAITING_FOR_BED: Citizen._admission, POST_DISCHARGE: Citizen._post_discharge,
    DISENGAGED: Citizen._disengaged}
