"""Every word a leader sees, in Danish and English: one table per language.

``TEXT`` holds the report's sentences and headings; ``METRICS`` the outcomes the key
figures state, each with its noun and unit in both languages. A test checks that every
key exists in both languages, so a new word cannot be added to one only.
"""
from __future__ import annotations

LANGUAGES = ("da", "en")

TEXT = {
    "da": {
        "title": "Hvad betyder organiseringen for borgernes forløb?",
        "question": ("Spørgsmålet: Hvis de samme borgere med svær psykisk sygdom blev hjulpet af "
                     "{org} i stedet for {base}, hvad ville der så ske med sengedage, indlæggelser, "
                     "tvang, frafald og personaletid? Svaret er en simulation, ikke en måling."),
        "compared": "Organiseringer der sammenlignes",
        "key": "Hovedtal",
        "utilisation_noun": "personalets udnyttelse af tiden (%)",
        "org_col": "Organisering", "assumption_col": "Antagelse", "rho_col": "Rangkorrelation",
        "gains": "Gevinster", "costs": "Omkostninger og risici", "unclear_head": "Ingen sikker forskel",
        "key_intro": ("De samme borgere med {org} i stedet for {base}. Intervallerne dækker {covers}; "
                      "en ændring står under gevinster eller omkostninger, når hele intervallet ligger "
                      "på samme side af nul."),
        "covers_noise": "simulationens egen tilfældighed over replikationerne, ikke usikkerheden om antagelserne",
        "covers_draws": "både usikkerheden om antagelserne og simulationens egen tilfældighed",
        "levels": ": fra {base} til {org} {unit}",
        "utilisation": ("Med {org} bruger personalet {o} % af sin tid med borgerne ({lo} til {hi} %) "
                        "mod {b} % med {base}."),
        "fewer": "færre", "more": "flere",
        "sentence": "{pct} % {dir} {noun} (95 %-interval {lo} til {hi} %){levels}.",
        "no_interval": ("{pct} % {dir} {noun} (interval ikke tilgængeligt: "
                        "det kræver mindst to replikationer)."),
        "undefined": "Ændringen i {noun} er ikke defineret ({base} har ingen).",
        "unclear": ("Ingen sikker forskel i {noun} "
                    "({pct} %, 95 %-interval {lo} til {hi} %)."),
        "table": "Tal pr. organisering (gennemsnit og 95 %-interval over replikationer)",
        "outcome": "Udfald", "plots": "Figurer", "assumptions": "Antagelser og kilder",
        "parameter": "Parameter", "value": "Værdi", "source": "Kilde", "override": "Ændret ved kørslen",
        "method": ("{pop}: {reps} replikationer à {years:g} år (efter {warm:g} års indsvingning), "
                   "frø {seed}. Alle organiseringer møder de samme borgere med de samme "
                   "tilfældigheder (common random numbers), så forskellene skyldes organiseringen."),
        "teams": "Teams", "staff": "årsværk pr. 100 borgere",
        "sweep": "Parameterstudie", "points": "punkter",
        "sweep_intro": "Et parameterstudie over {swept}: {n} punkter, hvert med sine replikationer.",
        "uncertainty": "Usikkerhed om antagelserne",
        "uncertainty_intro": ("Hovedtallene ovenfor regner usikkerheden om {n} antagelser med: {draws} sæt "
                              "af værdier trukket fra deres intervaller, hvert med {reps} replikationer. "
                              "Tabellen nedenfor dækker kun simulationens egen tilfældighed."),
        "uncertainty_sentence": ("Med {org}: {pct} % sengedage i gennemsnit; i 95 % af trækkene "
                                 "mellem {lo} og {hi} %."),
        "drivers": ("Hvilke antagelser flytter ændringen i sengedage mest (rangkorrelation mellem "
                    "den trukne værdi og ændringen; fortegn: samme eller modsat retning)"),
        "probabilities": ("Sandsynligheden for færre sengedage er {fall} %; for mindst {thr:g} % færre "
                          "sengedage {fall_thr} %; for flere personaletimer {staff} %; for færre "
                          "tvangsindlæggelser {coercion} %."),
    },
    "en": {
        "title": "What does the organisation of care do to citizens' pathways?",
        "question": ("The question: if the same citizens with severe mental illness were served by "
                     "{org} instead of {base}, what would happen to bed days, admissions, coercion, "
                     "drop-out and staff time? The answer is a simulation, not a measurement."),
        "compared": "Organisations compared",
        "key": "Key figures",
        "utilisation_noun": "staff utilisation (%)",
        "org_col": "Organisation", "assumption_col": "Assumption", "rho_col": "Rank correlation",
        "gains": "Gains", "costs": "Costs and risks", "unclear_head": "No clear difference",
        "key_intro": ("The same citizens with {org} instead of {base}. The intervals cover {covers}; "
                      "a change is listed as a gain or a cost when its whole interval lies on one side "
                      "of zero."),
        "covers_noise": "the simulation's own noise across replications, not the uncertainty about the assumptions",
        "covers_draws": "both the uncertainty about the assumptions and the simulation's own noise",
        "levels": ": from {base} to {org} {unit}",
        "utilisation": ("With {org} staff spend {o} % of their time with citizens ({lo} to {hi} %) "
                        "against {b} % with {base}."),
        "fewer": "fewer", "more": "more",
        "sentence": "{pct} % {dir} {noun} (95 % interval {lo} to {hi} %){levels}.",
        "no_interval": ("{pct} % {dir} {noun} (interval not available: "
                        "it needs at least two replications)."),
        "undefined": "The change in {noun} is not defined ({base} has none).",
        "unclear": ("No clear difference in {noun} "
                    "({pct} %, 95 % interval {lo} to {hi} %)."),
        "table": "Figures per organisation (mean and 95 % interval across replications)",
        "outcome": "Outcome", "plots": "Plots", "assumptions": "Assumptions and sources",
        "parameter": "Parameter", "value": "Value", "source": "Source", "override": "Changed for this run",
        "method": ("{pop}: {reps} replications of {years:g} years (after {warm:g} years of warm-up), "
                   "seed {seed}. Every organisation meets the same citizens with the same luck "
                   "(common random numbers), so differences come from the organisation."),
        "teams": "Teams", "staff": "FTE per 100 citizens",
        "sweep": "Parameter sweep", "points": "points",
        "sweep_intro": "A sweep over {swept}: {n} points, each with its replications.",
        "uncertainty": "Uncertainty about the assumptions",
        "uncertainty_intro": ("The key figures above include the uncertainty about {n} assumptions: {draws} "
                              "sets of values drawn from their ranges, each with {reps} replications. The "
                              "table below covers only the simulation's own noise."),
        "uncertainty_sentence": ("With {org}: {pct} % bed days on average; in 95 % of the draws "
                                 "between {lo} and {hi} %."),
        "drivers": ("Which assumptions move the change in bed days most (rank correlation between "
                    "the value drawn and the change; sign: same or opposite direction)"),
        "probabilities": ("The probability of fewer bed days is {fall} %; of at least {thr:g} % fewer "
                          "bed days {fall_thr} %; of more staff hours {staff} %; of fewer coercive "
                          "admissions {coercion} %."),
    },
}

# metric -> (Danish noun, English noun, Danish unit, English unit), in the order the key
# figures are read: what happens to the citizens first, then what it costs the services.
# For every one of them less is better, so a fall is a gain and a rise a cost.
METRICS = {
    "bed_days_per_citizen_year": ("sengedage", "bed days", "pr. borger-år", "per citizen-year"),
    "admissions_per_citizen_year": ("indlæggelser", "admissions", "pr. borger-år", "per citizen-year"),
    "coercive_admissions_per_citizen_year": ("tvangsindlæggelser", "coercive admissions",
                                             "pr. borger-år", "per citizen-year"),
    "coercive_bed_days_per_citizen_year": ("sengedage under tvang", "coercive bed days",
                                           "pr. borger-år", "per citizen-year"),
    "people_admitted": ("indlagte borgere", "people admitted", "i perioden", "over the period"),
    "crises_per_citizen_year": ("kriser", "crises", "pr. borger-år", "per citizen-year"),
    "dropouts": ("frafald", "drop-outs", "i perioden", "over the period"),
    "days_disengaged_per_citizen_year": ("dage uden kontakt", "days out of contact",
                                         "pr. borger-år", "per citizen-year"),
    "bed_blocking_days_per_citizen_year": ("færdigbehandlingsdage", "bed-blocking days",
                                           "pr. borger-år", "per citizen-year"),
    "staff_hours_regional": ("regionale personaletimer", "regional staff hours", "i perioden",
                             "over the period"),
    "staff_hours_municipal": ("kommunale personaletimer", "municipal staff hours", "i perioden",
                              "over the period"),
    "contacts_lost": ("tabte rutinekontakter", "routine contacts lost", "i perioden", "over the period"),
    "scaleups_refused": ("afviste opskaleringer", "refused scale-ups", "i perioden", "over the period"),
    "driving_hours": ("køretimer", "driving hours", "i perioden", "over the period"),
    "handovers": ("overgange mellem teams", "hand-overs", "i perioden", "over the period"),
    "cost_per_citizen_year": ("udgifter", "cost", "pr. borger-år", "per citizen-year"),
}
# a share of 0-1 stated as levels in %, not as a change in %
UTILISATION = "staff_utilisation"
# outcomes that figures show but the key figures do not state
FIGURE_METRICS = {
    "staff_hours_per_citizen_year": ("personaletimer i alt", "staff hours used", "pr. borger-år",
                                     "per citizen-year"),
}


def noun(metric: str, lang: str) -> str:
    """The metric's noun in ``lang``."""
    return {**METRICS, **FIGURE_METRICS}[metric][LANGUAGES.index(lang)]


def unit(metric: str, lang: str) -> str:
    """The metric's unit in ``lang``."""
    return {**METRICS, **FIGURE_METRICS}[metric][2 + LANGUAGES.index(lang)]


def title(metric: str, lang: str) -> str:
    """The metric's noun as a title (first letter capital)."""
    word = noun(metric, lang)
    return word[:1].upper() + word[1:]

# The words of the figures, in the order of ``LANGUAGES``
FIGURE = {
    "da": {
        "levels_title": "Gennemsnit pr. replikation med 95 %-interval ({reps} replikationer à {years} år)",
        "changes_title": "Ændring med {org} i forhold til {base}",
        "changes_axis": "ændring i % (95 %-interval)",
        "changes_note": "Grøn: færre (en gevinst). Orange: flere (en omkostning). Grå: ingen sikker forskel.",
        "beds": "Senge i brug (30-dages gennemsnit)", "beds_axis": "senge",
        "crisis": "Borgere i krise (30-dages gennemsnit)", "crisis_axis": "borgere",
        "years": "år", "warmup": "indsvingning (tælles ikke med)",
        "pathways_title": ("De samme {n} borgere under hver organisering (replikation {rep}): de borgere "
                           "med flest hændelser, der var med fra start"),
        "citizen": "borger {id}",
        "draws_title": "Ændring over parametertrækkene: ét punkt pr. træk; linjen dækker 95 % af trækkene",
        "draws_axis": "ændring i %",
        "sweep_axis": "ændring i forhold til sammenligningen, %",
        "sweep_title_noise": ("Ændring i forhold til sammenligningen i hvert punkt; båndet dækker "
                              "simulationens egen tilfældighed (95 %)"),
        "sweep_title_draws": ("Ændring i forhold til sammenligningen i hvert punkt; båndet dækker 95 % af "
                              "parametertrækkene (usikkerheden om antagelserne og tilfældigheden)"),
    },
    "en": {
        "levels_title": "Mean per replication with 95 % interval ({reps} replications of {years} years)",
        "changes_title": "Change with {org} against {base}",
        "changes_axis": "change in % (95 % interval)",
        "changes_note": "Green: fewer (a gain). Orange: more (a cost). Grey: no clear difference.",
        "beds": "Beds occupied (30-day mean)", "beds_axis": "beds",
        "crisis": "Citizens in crisis (30-day mean)", "crisis_axis": "citizens",
        "years": "years", "warmup": "warm-up (not counted)",
        "pathways_title": ("The same {n} citizens under each organisation (replication {rep}): those "
                           "present from the start with the most events"),
        "citizen": "citizen {id}",
        "draws_title": "Change over the parameter draws: one dot per draw; the line covers 95 % of the draws",
        "draws_axis": "change in %",
        "sweep_axis": "change against the baseline, %",
        "sweep_title_noise": ("Change against the baseline at each point; the band covers the "
                              "simulation's own noise (95 %)"),
        "sweep_title_draws": ("Change against the baseline at each point; the band holds 95 % of the "
                              "parameter draws (what is not known about the parameters and the noise)"),
    },
}
# the states of a pathway, in both languages
STATES = {
    "stable": ("stabil", "stable"), "deteriorating": ("forværring", "deteriorating"),
    "crisis": ("krise", "crisis"), "waiting_for_bed": ("venter på en seng", "waiting for a bed"),
    "admitted": ("indlagt", "admitted"),
    "discharge_ready": ("færdigbehandlet, venter på kommunalt tilbud", "ready, waiting for municipal offer"),
    "post_discharge": ("efter udskrivelse", "after discharge"), "disengaged": ("uden kontakt", "out of contact"),
}
