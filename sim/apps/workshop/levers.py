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
    low: float = 0.0      # the page's bounds in the lever's units (the command line's and the server's)
    high: float = 100.0
    whole: bool = False   # a whole number (beds)

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
               "1 til 100 borgere pr. årsværk"),
        "en": ("Citizens per case manager", "citizens per FTE",
               "How many citizens one case manager has; the team's case managers follow from it.",
               "1 to 100 citizens per FTE")}, low=1.0, high=100.0),
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
               "0 til 4,5 dage om ugen"),
        "en": ("Time pulled back to the parent organisation", "days a week",
               "Days a week staff spend on tasks for the region or municipality instead of the team.",
               "0 to 4.5 days a week")}, high=4.5),
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
               "et helt tal fra 1 til 5.000 (tomt: ubegrænset)"),
        "en": ("Psychiatric beds", "beds",
               "Beds for the target group in the catchment; with no free bed the citizen waits.",
               "a whole number from 1 to 5,000 (empty: unlimited)")}, low=1.0, high=5000.0, whole=True),
    "driving_minutes": Lever("driving_minutes", 1.0, 5.0, 0, {
        "da": ("Køretid pr. hjemmebesøg", "minutter tur-retur",
               "Den gennemsnitlige køretid frem og tilbage til et hjemmebesøg i alle kommuner.",
               "0 til 480 minutter"),
        "en": ("Driving time per home visit", "minutes, round trip",
               "The mean round trip to a home visit, in every municipality.",
               "0 to 480 minutes")}, high=480.0),
    "driving_speed": Lever("driving_speed", 1.0, 5.0, 0, {
        "da": ("Gennemsnitsfart på vejene", "km/t",
               "Farten teamet kører med mellem byerne; kortere køretid giver mere tid til borgerne.",
               "5 til 130 km/t"),
        "en": ("Mean speed on the roads", "km/h",
               "The speed teams drive at between towns; shorter drives leave more time for citizens.",
               "5 to 130 km/h")}, low=5.0, high=130.0),
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
    no_effect: str | None = None   # why the lever changes nothing in this organisation (a word's key), if so

    def overrides(self, shown: float) -> list[str]:
        """The overrides that set the lever to ``shown`` (in its units)."""
        value = shown / self.lever.scale
        text = str(int(value)) if self.lever.key == "beds" and float(value).is_integer() else repr(float(value))
        return [f"++{key}={text}" for key in self.targets]

    @property
    def both(self) -> bool:
        """Whether the lever applies to both organisations (the catchment's) or only to the one under study."""
        return all(key.startswith("population.") for key in self.targets)

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
    # a warning sign crosses sectors only between teams of different sectors: where every team
    # shares a sector with the team that scales up (or is that team), the lever changes nothing
    acting = org.teams[intensive_name]
    alone = all(t is acting or (t.sectors & acting.sectors) for t in org.teams.values())
    out.append(Setting(LEVERS["shared_information"], 100.0 * org.cross_sector_info_prob,
                       ("organisation.cross_sector_info_prob",),
                       no_effect="no_effect_one_team" if alone else None))
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
            texts: dict[str, str]) -> str | None:
    """The command line's one-line refusal worded for the lever it names (None when it names
    no lever: the page words it without the command line's key)."""
    for s in settings_:
        if s.names(message):
            value = shown.get(s.lever.key)
            return texts["refused"].format(lever=s.lever.name(lang), unit=s.lever.unit(lang),
                                           value="" if value is None else f"{value:g}",
                                           allowed=s.lever.allowed(lang))
    return None


LOCALES = {"da": "da_DK", "en": "en_GB"}


def shown_text(value: float | None, lever: Lever, lang: str) -> str:
    """A lever's value as the page shows it in ``lang`` ("13,5"; empty for unlimited beds)."""
    from sim.output import numbers

    if value is None:
        return ""
    v = round(float(value), lever.decimals)
    return numbers.number(v, lang, 0 if v.is_integer() else lever.decimals)


def parse(text: str, lever: Lever, lang: str, texts: dict[str, str]) -> tuple[float | None, str | None]:
    """A lever's text as a number, read as ``lang`` writes numbers (Babel: Danish "20,5" is
    20.5 and "1.000" is 1000), and checked against the lever's bounds: (value, None), or
    (None, the refusal in ``lang``). An empty field is not set (None, None), which for beds
    means unlimited."""
    import math

    from babel.numbers import NumberFormatError, parse_decimal

    text = (text or "").strip()
    if not text:
        if lever.whole:
            return None, None
        return None, texts["lever_empty"].format(lever=lever.name(lang), allowed=lever.allowed(lang))
    try:
        value = float(parse_decimal(text, locale=LOCALES[lang], strict=True))
    except NumberFormatError as err:
        suggestions: list[str] = getattr(err, "suggestions", None) or []
        hint = next((s for s in suggestions if s), None)
        if hint is not None and len(suggestions) > 1:
            hint = suggestions[-1]   # Babel's last guess keeps the decimal ("20,5", not "205")
        key = "lever_suggest" if hint else "lever_not_number"
        return None, texts[key].format(lever=lever.name(lang), value=text, hint=hint or "")
    except (ValueError, ArithmeticError):
        return None, texts["lever_not_number"].format(lever=lever.name(lang), value=text, hint="")
    if not math.isfinite(value) or not lever.low <= value <= lever.high or (lever.whole and not value.is_integer()):
        return None, texts["refused"].format(lever=lever.name(lang), value=text, unit=lever.unit(lang),
                                             allowed=lever.allowed(lang))
    return value, None
