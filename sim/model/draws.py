"""A citizen's random draws, one named method per activity of the pathway.

Each method draws from the activity's own stream of the citizen
(:class:`~sim.model.streams.CitizenStreams`), so a citizen's n-th length of stay or
warning window is the same number under every organisation (common random numbers).
A decision draws the same count of numbers whatever the branch it takes, so the
streams stay in step when organisations send the citizen down different paths.
"""
from __future__ import annotations

from sim.model.streams import CitizenStreams, unit_exponential


class Draws:
    """The random numbers a citizen's pathway asks for, by what they are for."""
    __slots__ = ("streams",)

    def __init__(self, streams: CitizenStreams):
        self.streams = streams

    # -- entry and the illness course -------------------------------------------------
    def exit_days(self, rate_per_day: float) -> float:
        """Days until the citizen leaves the catchment (death, moving, leaving the group)."""
        return self.streams.exponential("exit", rate_per_day)

    def course_uniform(self) -> float:
        """The illness course: which phase the citizen is in on entry."""
        return self.streams.uniform("course")

    def course_phase(self) -> float:
        """The illness course: a phase's length, in units of its mean."""
        return self.streams.standard_exponential("course")

    def deterioration(self) -> float:
        """Cumulative hazard to the next deterioration (a standard exponential)."""
        return self.streams.standard_exponential("deterioration")

    def relapse(self) -> float:
        """Cumulative hazard to an early relapse after discharge (a standard exponential)."""
        return self.streams.standard_exponential("relapse")

    # -- stable and out of contact --------------------------------------------------------
    def dropout_days(self, rate_per_day: float) -> float:
        """Days until the citizen drops out of contact (inf at rate 0)."""
        return self.streams.exponential("dropout", rate_per_day)

    def reengagement_days(self, rate_per_day: float) -> float:
        """Days until a disengaged citizen is back in contact (inf at rate 0)."""
        return self.streams.exponential("reengagement", rate_per_day)

    def handover(self) -> tuple[float, float]:
        """A hand-over between teams: its gap in units of the mean delay, and the uniform
        that decides whether the citizen is lost in it."""
        gap, loss = self.streams.uniforms("handover", 2)
        return unit_exponential(gap), loss

    # -- deteriorating ----------------------------------------------------------------------
    def warning_window(self, mean_days: float) -> float:
        """Days from the first warning sign to the crisis if nobody acts."""
        return self.streams.standard_exponential("window") * mean_days

    def crisis_averted(self, prob: float) -> bool:
        """Whether an intensive episode in time averts the crisis."""
        return self.streams.uniform("avert") < prob

    def detection(self) -> tuple[list[float], list[float]]:
        """Four detection channels: for each, the uniform of the time to see the sign and
        the uniform of the time to decide (made waiting times by inversion only for the
        channels present, so absent channels cost nothing)."""
        s = self.streams
        return s.uniforms("detection", 4), s.uniforms("decision", 4)

    # -- crisis and admission -------------------------------------------------------------
    def crisis(self, home_mean_days: float) -> tuple[float, float, float]:
        """A crisis: the uniforms that decide admission and coercion, and the days it
        takes to resolve at home."""
        admit, coerce, home = self.streams.uniforms("crisis", 3)
        return admit, coerce, unit_exponential(home) * home_mean_days

    def offer(self, wait_mean_days: float) -> tuple[float, float, float]:
        """A stay's municipal offer: the uniforms that decide whether it needs one and
        whether planning starts at admission, and the days the offer takes."""
        needs, planned, wait = self.streams.uniforms("offer", 3)
        return needs, planned, unit_exponential(wait) * wait_mean_days

    def los(self, shape: float, mean_days: float) -> float:
        """A length of stay: gamma with this shape and mean."""
        return self.streams.standard_gamma("los", shape) * mean_days / shape

    def discharge_handovers(self) -> list[float]:
        """Hand-overs at discharge to up to two community teams: two delays' uniforms,
        then two losses'."""
        return self.streams.uniforms("handover", 4)
