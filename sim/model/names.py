"""The names of a citizen's states, of what the model counts and of the events it logs, in one place.

The recorder accepts only these totals and the event log only these events, so a
misspelt name fails at once (KeyError, ValueError) instead of reading as zero.
"""
from __future__ import annotations

from typing import Final

# a citizen's states ([model]: the state diagram), counted each day in the time series
STABLE: Final = "stable"
DETERIORATING: Final = "deteriorating"
CRISIS: Final = "crisis"
WAITING_FOR_BED: Final = "waiting_for_bed"
ADMITTED: Final = "admitted"
DISCHARGE_READY: Final = "discharge_ready"
POST_DISCHARGE: Final = "post_discharge"
DISENGAGED: Final = "disengaged"
EXIT: Final = "exit"   # not a state a citizen is counted in: the end of the pathway
STATES: Final = (STABLE, DETERIORATING, CRISIS, WAITING_FOR_BED, ADMITTED, DISCHARGE_READY,
                 POST_DISCHARGE, DISENGAGED)
IN_BED: Final = (ADMITTED, DISCHARGE_READY)   # the states that occupy a bed

# events counted when they happen inside the results period
COUNTS: Final = ("admissions", "coercive_admissions", "admissions_waited", "crises", "crises_averted",
                 "crises_resolved_at_home", "deteriorations", "dropouts", "exits", "handovers",
                 "handover_gap_days", "lost_at_handover", "reengagements", "scaleups", "scaleups_refused",
                 "scaleups_requested")
# durations, as their overlap with the results period (days; the states' days included)
SPANS: Final = ("citizen_days", "bed_days", "coercive_bed_days", "days_stable", "days_deteriorating",
                "days_in_crisis", "bed_wait_days", "days_admitted", "bed_blocking_days",
                "days_post_discharge", "days_disengaged")
# the kinds of work a team gives its citizens, each paid for in staff time: routine contacts,
# in-reach during a stay, discharge planning from admission, outreach to the disengaged,
# intensive (board) care. Intensive care is served first; the others share what is left.
WORK: Final = ("routine", "inreach", "planning", "outreach", "intensive")
# the teams' integrals (hours and contacts over the results period); contacts asked and
# delivered also per kind of work
WORK_TOTALS: Final = tuple(f"{what}_{kind}" for kind in WORK for what in ("asked", "delivered"))
TEAM_TOTALS: Final = ("staff_hours_regional", "staff_hours_municipal", "staff_hours_available",
                      "driving_hours", "contacts_delivered", "contacts_lost") + WORK_TOTALS
TOTALS: Final = COUNTS + SPANS + TEAM_TOTALS

# the event log's events
ADMISSION_EVENTS: Final = ("admission", "coercive_admission")
EVENTS: Final = frozenset(ADMISSION_EVENTS + (
    "enter", "stable", "deterioration", "crisis", "bed_wait", "ready_for_discharge", "discharge",
    "post_discharge", "disengaged", "handover", "scale_up", "scale_up_refused", "scale_down", "exit"))
# what a pre/post study counts from the log (sim.experiments.prepost): the events that
# open and close a stay, and crises; all that a run without an event log keeps of it
# when it runs a study
STAY_EVENTS: Final = frozenset(ADMISSION_EVENTS + ("ready_for_discharge", "discharge"))
STUDY_EVENTS: Final = STAY_EVENTS | {"crisis"}
# what a run without an event log still logs: a study's counts and a roll-out's projection
COUNTED_EVENTS: Final = STUDY_EVENTS | {"bed_wait"}
