"""The levers a leader recognises, each a Hydra override of the organisation under study
or of the catchment, shown in the leader's units.

A lever reads its starting value from the validated scenario (what the YAML gives) and
writes an override only when it is moved, so an untouched page is the command line's
default run. The page never checks a value itself: every override goes through the
command line's validation, and a refusal is worded for the lever it came from, with
what the command line allows in the lever's own units.
"""
from __future__ import annotations

from dataclasses import dataclass

from sim.config.params import Scenario

WEEK_DAYS = 5.0   # a working week of 37 hours in five days: a day pulled back is 1/5 of the time


@dataclass(frozen=True)
class Lever:
    """One lever: its name, unit, one-line explanation and allowed range in both languages,
    and how a shown value becomes the configuration's (``value / scale``)."""
    key: str
    scale: float          # shown = configuration value x scale (100 for a share shown in %)
    step: float
    decimals: int
    words: dict[str, tuple[str, str, str, str]]   # lang -> (name, unit, explanation, allowed)

    def name(self, lang: str) -> str:
        """The lever's name in ``lang``."""
        return self.words[lang][0]

    def unit(self, lang: str) -> str:
        """The lever's unit in ``lang``."""
        return self.words[lang][1]

    def explanation(self, lang: str) -> str:
        """One line on what the lever does, in ``lang``."""
        return self.words[lang][2]

    def allowed(self, lang: str) -> str:
        """What the command line's validation allows, in the lever's units and ``lang``."""
        return self.words[lang][3]


LEVERS = {
    "caseload": Lever("caseload", 1.0, 1.0, 1, {
        "da": ("Borgere pr. behandler", "borgere pr. årsværk",
               "Hvor mange borgere én behandler (case manager) har; teamets behandlere følger antallet.",
               "et tal over 0"),
        "en": ("Citizens per case manager", "citizens per FTE",
               "How many citizens one case manager has; the team's case managers follow from it.",
               "a number above 0")}),
    "municipal_share": Lever("municipal_share", 100.0, 5.0, 0, {
        "da": ("Kommunal andel af behandlerne", "%",
               "Hvor stor en del af teamets behandlere kommunen låner ud (resten er regionale).",
               "0 til 100 %"),
        "en": ("Municipal share of case managers", "%",
               "How much of the team's case managers the municipality lends (the rest are regional).",
               "0 to 100 %")}),
    "pulled_back": Lever("pulled_back", WEEK_DAYS, 0.5, 1, {
        "da": ("Tid trukket tilbage til moderorganisationen", "dage om ugen",
               "Dage om ugen hvor personalet løser opgaver i region eller kommune i stedet for i teamet.",
               "0 til under 5 dage om ugen"),
        "en": ("Time pulled back to the parent organisation", "days a week",
               "Days a week staff spend on tasks for the region or municipality instead of the team.",
               "0 to under 5 days a week")}),
    "board_share": Lever("board_share", 100.0, 5.0, 0, {
        "da": ("Tavlens andel af teamets tid", "%",
               "Hvor meget af teamets tid den intensive indsats (FACT-tavlen) højst må tage.",
               "0 til 100 %"),
        "en": ("The board's share of team time", "%",
               "How much of the team's time intensive care (the FACT board) may take at most.",
               "0 to 100 %")}),
    "beds": Lever("beds", 1.0, 1.0, 0, {
        "da": ("Psykiatriske senge", "senge",
               "Senge til målgruppen i optageområdet; uden ledig seng venter borgeren.",
               "et helt tal over 0"),
        "en": ("Psychiatric beds", "beds",
               "Beds for the target group in the catchment; with no free bed the citizen waits.",
               "a whole number above 0")}),
    "driving_minutes": Lever("driving_minutes", 1.0, 5.0, 0, {
        "da": ("Køretid pr. hjemmebesøg", "minutter tur-retur",
               "Den gennemsnitlige køretid frem og tilbage til et hjemmebesøg i alle kommuner.",
               "0 minutter eller mere"),
        "en": ("Driving time per home visit", "minutes, round trip",
               "The mean round trip to a home visit, in every municipality.",
               "0 minutes or more")}),
    "driving_speed": Lever("driving_speed", 1.0, 5.0, 0, {
        "da": ("Gennemsnitsfart på vejene", "km/t",
               "Farten teamet kører med mellem byerne; kortere køretid giver mere tid til borgerne.",
               "et tal over 0"),
        "en": ("Mean speed on the roads", "km/h",
               "The speed teams drive at between towns; shorter drives leave more time for citizens.",
               "a number above 0")}),
    "discharge_planning": Lever("discharge_planning", 100.0, 5.0, 0, {
        "da": ("Udskrivelse planlagt fra indlæggelsen", "% af indlæggelserne",
               "Hvor ofte kommunen inddrages fra indlæggelsens start, så borgeren ikke venter i sengen.",
               "0 til 100 %"),
        "en": ("Discharge planned from admission", "% of stays",
               "How often the municipality is involved from the start of a stay, so the citizen does "
               "not wait in the bed.", "0 to 100 %")}),
    "shared_information": Lever("shared_information", 100.0, 5.0, 0, {
        "da": ("Delt information mellem sektorerne", "% af varselstegnene",
               "Hvor stor en del af de varselstegn én sektor ser, der når den anden sektor.",
               "0 til 100 %"),
        "en": ("Information shared across sectors", "% of warning signs",
               "How much of the warning signs one sector sees reach the other sector.",
               "0 to 100 %")}),
}


@dataclass(frozen=True)
class Setting:
    """A lever as it applies to one scenario: its starting value (shown units) and the
    configuration keys it writes."""
    lever: Lever
    value: float | None          # None: not set (unlimited beds)
    targets: tuple[str, ...]

    def overrides(self, shown: float) -> list[str]:
        """The overrides that set the lever to ``shown`` (in its units)."""
        value = shown / self.lever.scale
        text = str(int(value)) if self.lever.key == "beds" and float(value).is_integer() else repr(float(value))
        return [f"++{key}={text}" for key in self.targets]

    def names(self, message: str) -> bool:
        """Whether a refusal ``message`` of the command line is about this lever."""
        return any(key in message for key in self.targets)


def settings(scenario: Scenario) -> list[Setting]:
    """The levers that apply to ``scenario``'s organisation under study and catchment, with
    their starting values."""
    org, pop = scenario.organisation, scenario.population
    cm_name = org.team_with("case_management")
    cm = org.teams[cm_name]
    intensive_name = org.team_with("intensive")
    team = f"organisation.teams.{cm_name}"
    out = []
    managers = {k: m for k, m in cm.staffing.items() if m.case_manager}
    cm_fte = sum(m.fte_per_100 for m in managers.values())
    if managers and cm_fte > 0:
        out.append(Setting(LEVERS["caseload"], 100.0 / cm_fte, (f"{team}.caseload",)))
        sectors = {m.sector for m in cm.staff.values() if m.case_manager}
        if sectors == {"regional", "municipal"}:
            municipal = sum(m.fte_per_100 for m in managers.values() if m.sector == "municipal")
            out.append(Setting(LEVERS["municipal_share"], 100.0 * municipal / cm_fte,
                               (f"{team}.municipal_share",)))
    pulled = [f"{team}.pulled_back_share.{s}" for s in sorted(cm.sectors)]
    out.append(Setting(LEVERS["pulled_back"], WEEK_DAYS * max(cm.pulled_back_share.values(), default=0.0),
                       tuple(pulled)))
    out.append(Setting(LEVERS["board_share"], 100.0 * org.teams[intensive_name].max_intensive_share,
                       (f"organisation.teams.{intensive_name}.max_intensive_share",)))
    out.append(Setting(LEVERS["beds"], None if pop.beds is None else float(pop.beds), ("population.beds",)))
    if pop.driving is not None:   # driving from the towns' positions (validation: exactly when positioned)
        out.append(Setting(LEVERS["driving_speed"], pop.driving.speed_kmh, ("population.driving.speed_kmh",)))
    else:
        first = next(iter(pop.municipalities.values()))
        keys = tuple(f"population.municipalities.{m}.{k}" for m in pop.municipalities
                     for k in ("travel_minutes_local", "travel_minutes_cluster"))
        out.append(Setting(LEVERS["driving_minutes"], first.travel_minutes_local, keys))
    out.append(Setting(LEVERS["discharge_planning"], 100.0 * org.discharge_planning_from_admission_prob,
                       ("organisation.discharge_planning_from_admission_prob",)))
    out.append(Setting(LEVERS["shared_information"], 100.0 * org.cross_sector_info_prob,
                       ("organisation.cross_sector_info_prob",)))
    return out


def moved(settings_: list[Setting], shown: dict[str, float | None]) -> list[str]:
    """The overrides of the levers moved from their starting values (``shown``: lever key ->
    value in the lever's units; None or a missing key: not moved)."""
    out = []
    for s in settings_:
        value = shown.get(s.lever.key)
        # a value shown rounded to the lever's decimals and not touched is not a move
        if value is None or (s.value is not None and abs(value - s.value) <= 0.5 * 10 ** -s.lever.decimals):
            continue
        out += s.overrides(value)
    return out


def refusal(message: str, settings_: list[Setting], shown: dict[str, float | None], lang: str,
            texts: dict[str, str]) -> str:
    """The command line's one-line refusal worded for the lever it names (or as it is)."""
    for s in settings_:
        if s.names(message):
            value = shown.get(s.lever.key)
            return texts["refused"].format(lever=s.lever.name(lang), unit=s.lever.unit(lang),
                                           value="" if value is None else f"{value:g}",
                                           allowed=s.lever.allowed(lang))
    return texts["refused_other"].format(message=message)
