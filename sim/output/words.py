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
                     "{org} i stedet for af {base}, hvad ville der så ske med sengedage, indlæggelser, "
                     "tvang, frafald og personaletid? Svaret er en simulation, ikke en måling."),
        "compared": "Organiseringer der sammenlignes",
        "key": "Hovedtal",
        "utilisation_noun": "personalets udnyttelse af tiden (%)",
        "org_col": "Organisering", "assumption_col": "Antagelse", "rho_col": "Rangkorrelation",
        "unit_col": "Enhed", "mean_col": "Gennemsnit (95 %-interval)",
        "appendix": "Bilag: de vigtigste antagelser",
        "appendix_intro": ("De antagelser der bærer resultatet, med deres kilder; ændret ved kørslen: {changed}. "
                           "Kilderne henviser til modellens litteraturliste; alle {n} parametre med kilde og "
                           "begrundelse følger med kørslens tabeller (Antagelser)."),
        "src_assumption": "antagelse", "src_calibrated": "kalibreret mod de publicerede tal",
        "src_interval": "95 %-interval {lo} til {hi}", "src_published": "publiceret tal",
        "src_model": "modelbeskrivelsen", "src_command_line": "ændret ved denne kørsel",
        "src_see": "se", "src_section": "afsnit", "src_box": "boks",
        "none_changed": "ingen", "yes": "ja", "no": "nej",
        "study_frame": ("Studiet følger de inkluderede borgere {pre} måneder før og {post} måneder efter "
                        "inklusionen."),
        "gains": "Gevinster", "costs": "Omkostninger og risici", "unclear_head": "Ingen sikker forskel",
        "key_intro": ("De samme borgere med {org} i stedet for {base}. Intervallerne dækker {covers}; "
                      "en ændring står under gevinster eller omkostninger, når hele intervallet ligger "
                      "på samme side af nul."),
        "covers_noise": "simulationens egen tilfældighed over gennemløbene, ikke usikkerheden om antagelserne",
        "covers_draws": "både usikkerheden om antagelserne og simulationens egen tilfældighed",
        "levels": ": fra {base} til {org} {unit}",
        "utilisation": ("Personalet bruger {o} % af den betalte tid med {org}{interval} mod {b} % med {base}; "
                        "timer der ikke bruges, er ikke en besparelse."),
        "pct_interval": " ({lo} til {hi} %)",
        "staff_paid": ("Personale betalt med {org}: {fte} årsværk ({reg} regionale og {mun} kommunale) mod {bfte} "
                       "({breg} og {bmun}) med {base}."),
        "staff_head": "Personale og kapacitet",
        "limits": "Hvad modellen ikke kan fortælle",
        "limits_intro": ("Svaret er en simulation af syntetiske borgere, ikke en måling. Læn dig ikke op ad det, "
                         "hvor modellen ikke rækker:"),
        "limit_structure": ("Intervallerne dækker kun de antagelser, der er regnet usikkerhed på. Modellens "
                            "opbygning (hvilke forløb og mekanismer der er med) er ikke i intervallerne."),
        "limit_calibration": ("Mekanismernes styrke er tilpasset publicerede tal fra Norge, Danmark og udenlandske "
                              "forsøg, men rammer dem ikke alle; niveauet af indlæggelser er det mindst sikre, så "
                              "en ændring i indlæggelser er mindre sikker end en ændring i sengedage."),
        "limit_content": ("Organiseringen ændrer kun, hvilket forløb borgeren er på (set i tide, fulgt under "
                          "indlæggelsen, én plan eller flere), ikke hvor god behandlingen er. Bedre behandling, "
                          "medicin og somatisk sygdom er ikke med."),
        "limit_resources": ("Boliger og kommunale tilbud er ikke en ressource i modellen: ventetiden på dem er en "
                            "antagelse. Den enkelte medarbejders vagtplan, sygefravær og rekruttering er ikke med; "
                            "personalet er timer i teamet."),
        "limit_money": ("Udgifterne er kun senge og betalt personale med runde priser; bolig, medicin, "
                        "overførselsindkomster, politi og pårørendes tid er ikke talt med."),
        "limit_transition": ("Tallene sammenligner to organiseringer, der begge er i gang. Omstillingen (at bygge "
                             "teamet op, oplære personalet, flytte borgerne) og dens omkostninger er ikke med."),
        "payers": "Hvem betaler, hvem sparer",
        "payers_intro": ("Udgifter om året i {currency}, fordelt på dem der betaler: regionen betaler sengene og sit "
                         "personale; hver kommune betaler sit personale og betaler regionen for hver dag en borger, "
                         "der er færdigbehandlet, venter i en seng. Personalet tælles som betalte årsværk, ikke som "
                         "brugte timer. Intervallerne dækker {covers}. Priserne er antagelser, som kan erstattes af "
                         "egne tal: {prices}."),
        "payer_col": "Betaler", "difference_col": "Forskel (95 %-interval)",
        "region": "Regionen", "municipality_payer": "{name} Kommune", "municipalities": "Kommunerne",
        "total_payer": "I alt",
        "saves": "{payer} sparer {amount} om året (95 %-interval {lo} til {hi})",
        "pays_more": "{payer} betaler {amount} mere om året (95 %-interval {lo} til {hi})",
        "no_clear_money": "for {payer} er der ingen sikker forskel ({amount}; 95 %-interval {lo} til {hi})",
        "total_saves": "i alt spares {amount} om året (95 %-interval {lo} til {hi})",
        "total_pays_more": "i alt koster det {amount} mere om året (95 %-interval {lo} til {hi})",
        "total_no_clear": "i alt er der ingen sikker forskel ({amount}; 95 %-interval {lo} til {hi})",
        "payers_sentence": "Med {org} i stedet for {base}: {parts}.",
        "money_millions": "mio. kr.", "money_thousands": "t.kr.", "money_units": "kr.",
        "price_bed_day": "en sengedag {value}", "price_coercion": "tillæg for en dag under tvang {value}",
        "price_fte_regional": "et regionalt årsværk {value}", "price_fte_municipal": "et kommunalt årsværk {value}",
        "price_discharge_ready": "kommunens betaling for en færdigbehandlingsdag {value}",
        "warning": ("Advarsel: {team} er overbelastet: personalet bruger {use} % af den betalte tid (grænsen er "
                    "{limit} %), og arbejde der skulle gøres, bliver ikke gjort."),
        "team_of": "{team} ({org})",
        "overload": ("Teamet er overbelastet: {share} % af rutinekontakterne gives ikke ({levels}); {team} bruger "
                     "{use} % af den betalte tid, og grænsen er {limit} %."),
        "overload_plain": "Teamet er overbelastet: {team} bruger {use} % af den betalte tid, og grænsen er {limit} %.",
        "lost_cost": "{share} % af {work} gives ikke ({levels}).",
        "lost_gain": "Færre {noun}: fra {base} til {org} {unit}.",
        "lost_levels": "fra {base} til {org} {noun} {unit}",
        "from_zero": "{noun}: fra {base} til {org} {unit} (95 %-interval for forskellen {lo} til {hi}).",
        "none_either": "Ingen {noun} med nogen af organiseringerne.",
        "fewer": "færre", "more": "flere",
        "sentence": "{pct} % {dir} {noun} (95 %-interval {lo} til {hi} %){levels}.",
        "no_interval": ("{pct} % {dir} {noun} (interval ikke tilgængeligt: "
                        "det kræver mindst to gennemløb)."),
        "unclear": ("Ingen sikker forskel i {noun} "
                    "({pct} %, 95 %-interval {lo} til {hi} %)."),
        "table": "Tal pr. organisering (gennemsnit og 95 %-interval over gennemløbene)",
        "outcome": "Udfald", "plots": "Figurer", "value": "Værdi", "source": "Kilde",
        "method": ("{pop}: {reps} gennemløb à {years} år (efter {warm} års indsvingning). Alle organiseringer "
                   "møder de samme borgere med de samme tilfældigheder, så forskellene skyldes organiseringen."),
        "teams": "Teams", "staff": "årsværk pr. 100 borgere",
        "sweep": "Parameterstudie", "points": "punkter",
        "sweep_intro": "Et parameterstudie over {swept}: {n} punkter, hvert med sine gennemløb.",
        "uncertainty": "Usikkerhed om antagelserne",
        "uncertainty_intro": ("Hovedtallene ovenfor regner usikkerheden om {n} antagelser med: {draws} "
                              "gennemløb, hvert med sit eget sæt af værdier trukket fra antagelsernes "
                              "intervaller og {reps} gentagelser. Tabellen over tal pr. organisering dækker kun "
                              "simulationens egen tilfældighed."),
        "uncertainty_sentence": ("Med {org}: {pct} % sengedage i gennemsnit; i 95 % af gennemløbene "
                                 "mellem {lo} og {hi} %."),
        "drivers": ("Hvilke antagelser flytter ændringen i sengedage mest (rangkorrelation mellem "
                    "den trukne værdi og ændringen; fortegn: samme eller modsat retning)"),
        "areas": "Kommuner og teams",
        "areas_intro": ("Hver borger tælles i sin kommune; hvert team har sit eget personale og sin egen "
                        "kørsel. Ændringen i sengedage pr. kommune er parret over gennemløbene som "
                        "hovedtallene, men bygger på færre borgere og er derfor mere usikker."),
        "municipality_col": "Kommune", "citizens_col": "Borgere (gennemsnit)",
        "change_col": "Ændring i sengedage med {org}", "team_col": "Team", "site_col": "Sted",
        "base_col": "Base",
        "covers_col": "Dækker", "fte_col": "Årsværk", "utilisation_col": "Udnyttelse af tiden",
        "driving_col": "Køretimer pr. år", "lost_col": "Tabte kontakter", "refused_col": "Afviste opskaleringer pr. år",
        "value_head": "Hvilken viden ville ændre beslutningen?",
        "value_intro": ("Nettogevinsten pr. borger-år er minus værdien af udfaldene minus udgifterne for alle "
                        "betalere; den organisering med den største nettogevinst er bedst. Værdisætningerne i "
                        "denne kørsel ({name}), ud over det udfaldene koster betalerne: {values}. {prices}"),
        "value_prices_drawn": "Priserne trækkes i hvert gennemløb: {prices}.",
        "value_prices_fixed": "Priserne er kørslens egne (se betalerne ovenfor).",
        "value_amount": "{value} pr. {outcome}",
        "value_best": "{org} giver den største nettogevinst i {k} af {n} gennemløb ({p} %).",
        "value_incremental": ("Nettogevinsten med {org} i forhold til {base}: {nb} pr. borger-år i gennemsnit "
                              "(i 95 % af gennemløbene {lo} til {hi})."),
        "value_best_intro": "Andelen af gennemløb hvor hver organisering er bedst, på nettogevinst og på hvert udfald:",
        "criterion_col": "Bedst på", "criterion_net_benefit": "nettogevinst", "criterion_cost": "udgifter",
        "value_acceptability": ("Figuren og tabellen viser, hvor sandsynligt hver organisering er bedst, når en "
                                "undgået {outcome} tillægges en værdi fra {low} til {high} ud over prisen."),
        "value_col": "Værdi af en undgået {outcome}",
        "value_evpi": ("Fuld viden om alle antagelserne før beslutningen ville være værd {evpi} pr. borger-år, "
                       "{region} for regionens {citizens} borgere over {years} år (diskonteret med {rate} % om "
                       "året); uden simulationens egen tilfældighed {evpi_all} pr. borger-år."),
        "value_evpi_zero": ("{org} er bedst i alle {n} gennemløb: mere viden om antagelserne ville ikke ændre "
                            "beslutningen, og viden er derfor intet værd for den (0 kr.)."),
        "value_group": ("At kende {group} før beslutningen ville være værd op til {value} pr. borger-år "
                        "({region} for regionen over {years} år); en evaluering bør først måle {first}."),
        "value_no_group": ("Ingen af de navngivne grupper af antagelser har nogen værdi for beslutningen "
                           "alene; en evaluering bør måle dem samlet."),
        "value_rough": ("Tallene er grove: regressionen forklarer {r2} af variationen (krydsvalideret R²) over "
                        "{n} gennemløb; flere gennemløb (uncertainty.draws) gør dem sikrere."),
        "value_few": "For få gennemløb ({n}) til at regne værdien af viden om enkelte antagelser.",
        "group_col": "Antagelser", "evppi_col": "Værdi pr. borger-år", "region_col": "For regionen over {years} år",
        "fit_col": "Forklaringsgrad (R²)", "reliable_col": "Sikker nok",
        "all_assumptions": "alle antagelserne samlet", "evpi_name": "fuld viden (direkte på gennemløbene)",
        "probabilities": ("Færre sengedage i {fall_k} af {n} gennemløb ({fall} %; 95 %-interval {fall_lo} til "
                          "{fall_hi} %); mindst {thr} % færre sengedage i {thr_k} af {n} ({fall_thr} %); færre "
                          "tvangsindlæggelser i {co_k} af {n} ({coercion} %)."),
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
        "unit_col": "Unit", "mean_col": "Mean (95 % interval)",
        "appendix": "Appendix: the main assumptions",
        "appendix_intro": ("The assumptions that carry the result, with their sources; changed for this run: "
                           "{changed}. The sources refer to the model's list of references; all {n} parameters "
                           "with source and reasoning come with the run's tables (Assumptions)."),
        "src_assumption": "assumption", "src_calibrated": "calibrated to the published figures",
        "src_interval": "95 % interval {lo} to {hi}", "src_published": "published figure",
        "src_model": "the model description", "src_command_line": "changed for this run",
        "src_see": "see", "src_section": "section", "src_box": "box",
        "none_changed": "none", "yes": "yes", "no": "no",
        "study_frame": "The study follows the enrolled citizens {pre} months before and {post} months after enrolment.",
        "gains": "Gains", "costs": "Costs and risks", "unclear_head": "No clear difference",
        "key_intro": ("The same citizens with {org} instead of {base}. The intervals cover {covers}; "
                      "a change is listed as a gain or a cost when its whole interval lies on one side "
                      "of zero."),
        "covers_noise": "the simulation's own noise across replications, not the uncertainty about the assumptions",
        "covers_draws": "both the uncertainty about the assumptions and the simulation's own noise",
        "levels": ": from {base} to {org} {unit}",
        "utilisation": ("Staff use {o} % of their paid time with {org}{interval} against {b} % with {base}; "
                        "hours not used are not a saving."),
        "pct_interval": " ({lo} to {hi} %)",
        "staff_paid": ("Staff paid with {org}: {fte} FTE ({reg} regional and {mun} municipal) against {bfte} "
                       "({breg} and {bmun}) with {base}."),
        "staff_head": "Staff and capacity",
        "limits": "What the model cannot tell",
        "limits_intro": ("The answer is a simulation of synthetic citizens, not a measurement. Do not lean on it "
                         "where the model does not reach:"),
        "limit_structure": ("The intervals cover only the assumptions whose uncertainty is included. The model's "
                            "structure (which pathways and mechanisms are in it) is not in the intervals."),
        "limit_calibration": ("The mechanisms' strengths are fitted to published figures from Norway, Denmark and "
                              "trials abroad, but do not meet them all; the level of admissions is the least sure, "
                              "so a change in admissions is less sure than a change in bed days."),
        "limit_content": ("An organisation changes only which pathway a citizen is on (seen in time, followed "
                          "during a stay, one plan or several), not how good the treatment is. Better treatment, "
                          "medication and somatic illness are not in it."),
        "limit_resources": ("Housing and municipal offers are not a resource in the model: their wait is an "
                            "assumption. Individual staff's rosters, sickness absence and recruitment are not in "
                            "it; staff are hours in the team."),
        "limit_money": ("The costs are only beds and paid staff at round prices; housing, medication, benefits, "
                        "police and relatives' time are not counted."),
        "limit_transition": ("The figures compare two organisations both up and running. The change-over (building "
                             "the team, training the staff, moving the citizens) and its costs are not in it."),
        "payers": "Who pays, who saves",
        "payers_intro": ("Costs a year in {currency}, split by who pays: the region pays the beds and its staff; "
                         "each municipality pays its staff and pays the region for every day a citizen ready for "
                         "discharge waits in a bed. Staff count as FTE paid, not as hours used. The intervals cover "
                         "{covers}. The prices are assumptions to be replaced by your own ({prices})."),
        "payer_col": "Payer", "difference_col": "Difference (95 % interval)",
        "region": "The region", "municipality_payer": "{name} municipality", "municipalities": "The municipalities",
        "total_payer": "Total",
        "saves": "{payer} saves {amount} a year (95 % interval {lo} to {hi})",
        "pays_more": "{payer} pays {amount} more a year (95 % interval {lo} to {hi})",
        "no_clear_money": "for {payer} there is no clear difference ({amount}; 95 % interval {lo} to {hi})",
        "total_saves": "in total {amount} a year is saved (95 % interval {lo} to {hi})",
        "total_pays_more": "in total it costs {amount} more a year (95 % interval {lo} to {hi})",
        "total_no_clear": "in total there is no clear difference ({amount}; 95 % interval {lo} to {hi})",
        "payers_sentence": "With {org} instead of {base}: {parts}.",
        "money_millions": "million DKK", "money_thousands": "thousand DKK", "money_units": "DKK",
        "price_bed_day": "a bed day {value}", "price_coercion": "extra for a day under coercion {value}",
        "price_fte_regional": "a regional FTE {value}", "price_fte_municipal": "a municipal FTE {value}",
        "price_discharge_ready": "the municipality's payment for a day ready for discharge {value}",
        "warning": ("Warning: the {team} is overloaded: staff use {use} % of their paid time (the limit is "
                    "{limit} %), and work that should be done is not done."),
        "team_of": "{team} ({org})",
        "overload": ("The team is overloaded: {share} % of the routine contacts are not given ({levels}); the "
                     "{team} uses {use} % of its paid time, and the limit is {limit} %."),
        "overload_plain": ("The team is overloaded: the {team} uses {use} % of its paid time, and the limit is "
                           "{limit} %."),
        "lost_cost": "{share} % of {work} are not given ({levels}).",
        "lost_gain": "Fewer {noun}: from {base} to {org} {unit}.",
        "lost_levels": "from {base} to {org} {noun} {unit}",
        "from_zero": "{noun}: from {base} to {org} {unit} (95 % interval of the difference {lo} to {hi}).",
        "none_either": "No {noun} with either organisation.",
        "fewer": "fewer", "more": "more",
        "sentence": "{pct} % {dir} {noun} (95 % interval {lo} to {hi} %){levels}.",
        "no_interval": ("{pct} % {dir} {noun} (interval not available: "
                        "it needs at least two replications)."),
        "unclear": ("No clear difference in {noun} "
                    "({pct} %, 95 % interval {lo} to {hi} %)."),
        "table": "Figures per organisation (mean and 95 % interval across replications)",
        "outcome": "Outcome", "plots": "Plots", "value": "Value", "source": "Source",
        "method": ("{pop}: {reps} replications of {years} years (after {warm} years of warm-up). Every "
                   "organisation meets the same citizens with the same luck, so differences come from the "
                   "organisation."),
        "teams": "Teams", "staff": "FTE per 100 citizens",
        "sweep": "Parameter sweep", "points": "points",
        "sweep_intro": "A sweep over {swept}: {n} points, each with its replications.",
        "uncertainty": "Uncertainty about the assumptions",
        "uncertainty_intro": ("The key figures above include the uncertainty about {n} assumptions: {draws} "
                              "runs, each with its own set of values drawn from the assumptions' ranges and {reps} "
                              "repetitions. The table of figures per organisation covers only the simulation's "
                              "own noise."),
        "uncertainty_sentence": ("With {org}: {pct} % bed days on average; in 95 % of the runs "
                                 "between {lo} and {hi} %."),
        "drivers": ("Which assumptions move the change in bed days most (rank correlation between "
                    "the value drawn and the change; sign: same or opposite direction)"),
        "areas": "Municipalities and teams",
        "areas_intro": ("Every citizen counts in their municipality; every team has its own staff and its own "
                        "driving. The change in bed days per municipality is paired over the replications as "
                        "the key figures are, but rests on fewer citizens and is therefore less certain."),
        "municipality_col": "Municipality", "citizens_col": "Citizens (mean)",
        "change_col": "Change in bed days with {org}", "team_col": "Team", "site_col": "Site",
        "base_col": "Base",
        "covers_col": "Covers", "fte_col": "FTE", "utilisation_col": "Staff utilisation",
        "driving_col": "Driving hours a year", "lost_col": "Contacts lost", "refused_col": "Refused scale-ups a year",
        "value_head": "Which evidence would change the decision?",
        "value_intro": ("Net benefit per citizen-year is minus the value of the outcomes minus the costs of "
                        "every payer; the organisation with the highest net benefit is best. The valuations of "
                        "this run ({name}), on top of what the outcomes cost the payers: {values}. {prices}"),
        "value_prices_drawn": "The prices are drawn in every draw: {prices}.",
        "value_prices_fixed": "The prices are the run's own (see the payers above).",
        "value_amount": "{value} per {outcome}",
        "value_best": "{org} has the highest net benefit in {k} of {n} draws ({p} %).",
        "value_incremental": ("The net benefit of {org} against {base}: {nb} per citizen-year on average "
                              "(in 95 % of the draws {lo} to {hi})."),
        "value_best_intro": ("The share of draws in which each organisation is best, on net benefit and on "
                             "each outcome:"),
        "criterion_col": "Best on", "criterion_net_benefit": "net benefit", "criterion_cost": "costs",
        "value_acceptability": ("The figure and the table show how likely each organisation is best when an "
                                "avoided {outcome} is given a value from {low} to {high} on top of its price."),
        "value_col": "Value of an avoided {outcome}",
        "value_evpi": ("Perfect knowledge of every assumption before deciding would be worth {evpi} per "
                       "citizen-year, {region} for the region's {citizens} citizens over {years} years "
                       "(discounted by {rate} % a year); without the simulation's own noise {evpi_all} per "
                       "citizen-year."),
        "value_evpi_zero": ("{org} is best in all {n} draws: more knowledge of the assumptions would not change "
                            "the decision, so it is worth nothing to it (0 DKK)."),
        "value_group": ("Knowing {group} before deciding would be worth up to {value} per citizen-year "
                        "({region} for the region over {years} years); an evaluation should measure {first} first."),
        "value_no_group": ("None of the named groups of assumptions is worth anything to the decision on its "
                           "own; an evaluation should measure them together."),
        "value_rough": ("The figures are rough: the regression explains {r2} of the variation (cross-validated "
                        "R²) over {n} draws; more draws (uncertainty.draws) make them surer."),
        "value_few": "Too few draws ({n}) to work out the value of knowing single assumptions.",
        "group_col": "Assumptions", "evppi_col": "Value per citizen-year",
        "region_col": "For the region over {years} years",
        "fit_col": "Fit (R²)", "reliable_col": "Sure enough",
        "all_assumptions": "every assumption together", "evpi_name": "perfect knowledge (directly on the draws)",
        "probabilities": ("Fewer bed days in {fall_k} of {n} runs ({fall} %; 95 % interval {fall_lo} to "
                          "{fall_hi} %); at least {thr} % fewer bed days in {thr_k} of {n} ({fall_thr} %); fewer "
                          "coercive admissions in {co_k} of {n} ({coercion} %)."),
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
    "days_in_crisis": ("dage i krise", "days in crisis", "i perioden", "over the period"),
    "dropouts": ("frafald", "drop-outs", "i perioden", "over the period"),
    "days_disengaged_per_citizen_year": ("dage uden kontakt", "days out of contact",
                                         "pr. borger-år", "per citizen-year"),
    "bed_blocking_days_per_citizen_year": ("færdigbehandlingsdage", "bed-blocking days",
                                           "pr. borger-år", "per citizen-year"),
    "admissions_waited": ("indlæggelser med ventetid på en seng", "admissions that waited for a bed",
                          "i perioden", "over the period"),
    "bed_wait_days": ("dage med ventetid på en seng", "days waiting for a bed", "i perioden", "over the period"),
    "scaleups_refused": ("afviste opskaleringer", "refused scale-ups", "i perioden", "over the period"),
    "driving_hours": ("køretimer", "driving hours", "i perioden", "over the period"),
    "handovers": ("overgange mellem teams", "hand-overs", "i perioden", "over the period"),
}
# a share of 0-1 stated as levels in %, not as a change in %
UTILISATION = "staff_utilisation"
# shares (0 to 1): levels in %, a change in percentage points, never a relative change
# (a share near zero in the baseline would give thousands of per cent)
SHARES = (UTILISATION, "contacts_lost_share")
# outcomes that figures show but the key figures do not state
FIGURE_METRICS = {
    "staff_hours_per_citizen_year": ("personaletimer i alt", "staff hours used", "pr. borger-år",
                                     "per citizen-year"),
    "staff_hours_regional": ("regionale personaletimer brugt", "regional staff hours used", "i perioden",
                             "over the period"),
    "staff_hours_municipal": ("kommunale personaletimer brugt", "municipal staff hours used", "i perioden",
                              "over the period"),
    "staff_fte_regional": ("regionale årsværk", "regional FTE", "betalt", "paid"),
    "staff_fte_municipal": ("kommunale årsværk", "municipal FTE", "betalt", "paid"),
    "contacts_lost": ("tabte kontakter", "contacts lost", "i perioden", "over the period"),
    "cost_per_citizen_year": ("udgifter", "cost", "pr. borger-år", "per citizen-year"),
    **{f"contacts_lost_{kind}": (f"tabte {da}", f"{en} lost", "i perioden", "over the period")
       for kind, (da, en) in {"routine": ("rutinekontakter", "routine contacts"),
                              "inreach": ("besøg under indlæggelse", "in-reach visits"),
                              "planning": ("møder om udskrivelse", "discharge-planning meetings"),
                              "outreach": ("opsøgende besøg", "outreach visits"),
                              "intensive": ("intensive kontakter", "intensive contacts")}.items()},
}
# the kinds of work a team gives (sim.model.names.WORK): (Danish, English), as "X % of ... are not given"
WORK_WORDS = {
    "routine": ("rutinekontakterne", "the routine contacts"),
    "inreach": ("besøgene under indlæggelse", "the in-reach visits during a stay"),
    "planning": ("møderne om udskrivelse fra indlæggelsens start", "the discharge-planning meetings"),
    "outreach": ("de opsøgende besøg hos borgere uden kontakt", "the outreach visits to citizens out of contact"),
    "intensive": ("de intensive kontakter", "the intensive contacts"),
}


_ALL_METRICS = {**METRICS, **FIGURE_METRICS}


def noun(metric: str, lang: str) -> str:
    """The metric's noun in ``lang``."""
    return _ALL_METRICS[metric][LANGUAGES.index(lang)]


def unit(metric: str, lang: str) -> str:
    """The metric's unit in ``lang``."""
    return _ALL_METRICS[metric][2 + LANGUAGES.index(lang)]


def title(metric: str, lang: str) -> str:
    """The metric's noun as a title (first letter capital)."""
    word = noun(metric, lang)
    return word[:1].upper() + word[1:]

# The words of the figures, in the order of ``LANGUAGES``
FIGURE = {
    "da": {
        "levels_title": "Gennemsnit pr. gennemløb med 95 %-interval ({reps} gennemløb à {years} år)",
        "changes_title": "Ændring med {org} i forhold til {base}",
        "changes_axis": "ændring i % (95 %-interval)",
        "changes_note": "Grøn: færre (en gevinst). Orange: flere (en omkostning). Grå: ingen sikker forskel.",
        "beds": "Senge i brug (30-dages gennemsnit)", "beds_axis": "senge", "beds_line": "sengene i alt ({beds})",
        "crisis": "Borgere i krise (30-dages gennemsnit)", "crisis_axis": "borgere",
        "years": "år", "warmup": "indsvingning (tælles ikke med)",
        "pathways_title": ("De samme {n} borgere under hver organisering (gennemløb {rep}): {how}; "
                           "korte perioder vises mindst {days} dage brede"),
        "pathways_random": "et tilfældigt udvalg af dem, der var med fra start",
        "pathways_busiest": "dem med flest hændelser blandt dem, der var med fra start",
        "citizen": "borger {id}",
        "draws_title": "Ændring over parametertrækkene: ét punkt pr. træk; linjen dækker 95 % af trækkene",
        "draws_axis": "ændring i %",
        "acceptability_title": ("Sandsynligheden for at være bedst på nettogevinst, efter værdien af en "
                                "undgået {outcome}"),
        "acceptability_axis": "værdien af en undgået {outcome} ud over prisen ({money})",
        "acceptability_y": "sandsynlighed for at være bedst (%)",
        "sweep_axis": "ændring i forhold til sammenligningen, %",
        "sweep_levels": ("Gennemsnit i hvert punkt (hvor sikker forskellen er, viser figuren med "
                         "ændringerne)"),
        "levels_plain": "Gennemsnit med 95 %-interval over gennemløbene",
        "sweep_mean": "gennemsnit over gennemløbene",
        "sweep_title_noise": ("Ændring i forhold til sammenligningen i hvert punkt; båndet dækker "
                              "simulationens egen tilfældighed (95 %)"),
        "sweep_title_draws": ("Ændring i forhold til sammenligningen i hvert punkt; båndet dækker 95 % af "
                              "parametertrækkene (usikkerheden om antagelserne og tilfældigheden)"),
        "posterior_title": "Posterior (sidste ABC-SMC-population); priorens område på akserne",
        "ppc_title": "Posterior-prædiktivt tjek: {name}",
        "ppc_axis": "i forhold til den publicerede værdi (1 = værdien)",
        "ppc_range": "publiceret område", "ppc_in": "simuleret, inden for området",
        "ppc_out": "simuleret, uden for området",
        "pull_title": "Hvilke mål trækker i hvilke parametre (prior-prædiktive træk)",
        "pull_axis": "Spearmans rho over priortrækkene",
        "morris_title": "Morris-screening: gennemsnitlig absolut elementareffekt (mu*)",
        "morris_axis": "mu* (i outputtets enhed)",
        "sobol_title": "Sobols totalindeks (andel af outputtets varians)",
        "sobol_axis": "totalindeks S_T",
        "prepost_title": "{study}: {org} ({reps} gennemløb, kohorte på {cohort} i gennemsnit)",
        "map_title": "Hvor teamene arbejder, og udfaldet i hver kommune",
        "map_panel": "{org}: {n} teams",
        "map_note": ("Stjerne: teamets base; linjer: de kommuner teamet dækker; cirklens størrelse: "
                     "borgere i målgruppen; farven: gennemsnit over gennemløbene"),
    },
    "en": {
        "levels_title": "Mean per replication with 95 % interval ({reps} replications of {years} years)",
        "changes_title": "Change with {org} against {base}",
        "changes_axis": "change in % (95 % interval)",
        "changes_note": "Green: fewer (a gain). Orange: more (a cost). Grey: no clear difference.",
        "beds": "Beds occupied (30-day mean)", "beds_axis": "beds", "beds_line": "all the beds ({beds})",
        "crisis": "Citizens in crisis (30-day mean)", "crisis_axis": "citizens",
        "years": "years", "warmup": "warm-up (not counted)",
        "pathways_title": ("The same {n} citizens under each organisation (replication {rep}): {how}; "
                           "short periods are drawn at least {days} days wide"),
        "pathways_random": "a random sample of those present from the start",
        "pathways_busiest": "those present from the start with the most events",
        "citizen": "citizen {id}",
        "draws_title": "Change over the parameter draws: one dot per draw; the line covers 95 % of the draws",
        "draws_axis": "change in %",
        "acceptability_title": ("The probability of the highest net benefit, by the value of an avoided "
                                "{outcome}"),
        "acceptability_axis": "the value of an avoided {outcome} on top of its price ({money})",
        "acceptability_y": "probability of being best (%)",
        "sweep_axis": "change against the baseline, %",
        "sweep_levels": "Mean at each point (how sure the difference is: see the figure of the changes)",
        "levels_plain": "Mean with 95 % interval across replications",
        "sweep_mean": "mean across replications",
        "sweep_title_noise": ("Change against the baseline at each point; the band covers the "
                              "simulation's own noise (95 %)"),
        "sweep_title_draws": ("Change against the baseline at each point; the band holds 95 % of the "
                              "parameter draws (what is not known about the parameters and the noise)"),
        "posterior_title": "Posterior (final ABC-SMC population), prior range on the axes",
        "ppc_title": "Posterior predictive check: {name}",
        "ppc_axis": "relative to the published value (1 = the value)",
        "ppc_range": "published range", "ppc_in": "simulated, in range", "ppc_out": "simulated, outside range",
        "pull_title": "Which targets pull which parameters (prior predictive draws)",
        "pull_axis": "Spearman rho over prior draws",
        "morris_title": "Morris screening: mean absolute elementary effect (mu*)",
        "morris_axis": "mu* (units of the output)",
        "sobol_title": "Sobol total-order indices (share of output variance)",
        "sobol_axis": "total-order index S_T",
        "prepost_title": "{study}: {org} ({reps} replications, cohort {cohort} on average)",
        "map_title": "Where the teams work, and the outcome in each municipality",
        "map_panel": "{org}: {n} teams",
        "map_note": ("Star: a team's base; lines: the municipalities it covers; circle size: citizens "
                     "of the target group; colour: mean over the replications"),
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

# The assumptions the report's appendix shows, with a readable name and unit in both
# languages: (Danish name, English name, Danish unit, English unit). Every other
# parameter stays in the run folder's provenance table; a parameter changed for the run
# is shown too, by its dotted name if it has none here.
ASSUMPTIONS = {
    "population.beds": ("psykiatriske senge", "psychiatric beds", "senge", "beds"),
    "population.exit_rate_per_year": ("borgere der forlader målgruppen", "citizens leaving the target group",
                                      "andel pr. år", "share per year"),
    "clinical.deterioration_rate_per_year": ("forværringer", "deteriorations", "pr. borger-år",
                                             "per citizen-year"),
    "clinical.course.unwell_hazard_ratio": ("risiko i dårlige perioder", "risk in unwell phases",
                                            "gange risikoen i gode perioder", "times the risk when well"),
    "clinical.course.unwell_mean_days": ("dårlige perioders længde", "length of unwell phases",
                                         "dage i gennemsnit", "days on average"),
    "clinical.warning_window_mean_days": ("tid fra varselstegn til krise", "time from warning sign to crisis",
                                          "dage i gennemsnit", "days on average"),
    "clinical.detection_prob_per_contact": ("chance for at se et varselstegn ved en kontakt",
                                            "chance of seeing a warning sign at a contact", "sandsynlighed",
                                            "probability"),
    "clinical.crisis_averted_prob": ("chance for at afværge en krise ved tidlig opskalering",
                                     "chance that an early scale-up averts a crisis", "sandsynlighed",
                                     "probability"),
    "clinical.admission_prob.intensive": ("indlæggelse ved krise under intensiv indsats",
                                          "admission in a crisis under intensive care", "sandsynlighed",
                                          "probability"),
    "clinical.admission_prob.standard": ("indlæggelse ved krise under almindelig indsats",
                                         "admission in a crisis under standard care", "sandsynlighed",
                                         "probability"),
    "clinical.coercion_prob.intensive": ("tvang ved indlæggelse under intensiv indsats",
                                         "coercion at admission under intensive care", "sandsynlighed",
                                         "probability"),
    "clinical.coercion_prob.standard": ("tvang ved indlæggelse under almindelig indsats",
                                        "coercion at admission under standard care", "sandsynlighed",
                                        "probability"),
    "clinical.los_mean_days.voluntary": ("frivillig indlæggelses længde", "length of a voluntary stay",
                                         "dage i gennemsnit", "days on average"),
    "clinical.los_mean_days.coercive": ("tvangsindlæggelses længde", "length of a coercive stay",
                                        "dage i gennemsnit", "days on average"),
    "clinical.inreach_los_ratio": ("kortere indlæggelse når teamet følger borgeren", "shorter stay with in-reach",
                                   "gange den almindelige længde", "times the usual length"),
    "clinical.needs_municipal_offer_prob": ("indlæggelser der venter på et kommunalt tilbud",
                                            "stays that wait for a municipal offer", "sandsynlighed",
                                            "probability"),
    "clinical.municipal_offer_wait_mean_days": ("ventetid på kommunalt tilbud", "wait for a municipal offer",
                                                "dage i gennemsnit", "days on average"),
    "clinical.handover_loss_prob": ("borgere der mistes ved en overgang", "citizens lost at a hand-over",
                                    "sandsynlighed", "probability"),
    "clinical.dropout_rate_per_year": ("frafald", "drop-out", "pr. borger-år", "per citizen-year"),
    "clinical.intensive_contacts_per_week": ("kontakter under intensiv indsats", "contacts under intensive care",
                                             "pr. uge", "per week"),
    "clinical.contact_minutes": ("en kontakts længde", "length of a contact", "minutter", "minutes"),
}

# The pre/post study's measures and the parts of its decomposition, in both languages
STUDY_WORDS = {
    "da": {"admissions": "Indlæggelser", "coercive_admissions": "Tvangsindlæggelser", "bed_days": "Sengedage",
           "coercive_bed_days": "Sengedage under tvang", "people_admitted": "Indlagte borgere", "crises": "Kriser",
           "observed_ratio": "observeret efter/før", "counterfactual_ratio": "uden organiseringen efter/før",
           "organisation_effect_ratio": "organiseringens egen effekt (forhold)",
           "simulated": "simuleret efter/før", "target": "mål", "axis": "forhold efter / før",
           "title": "Før/efter-studiet: hvad organiseringen selv gjorde",
           "measure": "Mål",
           "sentence": ("Sengedage hos de inkluderede borgere efter/før: {obs} (95 %-interval {obs_lo} til "
                        "{obs_hi}). Uden organiseringen ville forholdet have været {cf}, fordi borgere "
                        "inkluderes lige efter en krise og ofte får det bedre af sig selv (regression mod "
                        "middelværdien). Organiseringens egen effekt er derfor et forhold på {eff} "
                        "({eff_lo} til {eff_hi}); 1 betyder ingen effekt.")},
    "en": {"admissions": "Admissions", "coercive_admissions": "Coercive admissions", "bed_days": "Bed days",
           "coercive_bed_days": "Coercive bed days", "people_admitted": "People admitted", "crises": "Crises",
           "observed_ratio": "observed after/before", "counterfactual_ratio": "counterfactual after/before",
           "organisation_effect_ratio": "organisation effect (ratio)",
           "simulated": "simulated after/before", "target": "target", "axis": "ratio after / before",
           "title": "The pre/post study: what the organisation itself did",
           "measure": "Measure",
           "sentence": ("Bed days of the enrolled citizens after/before: {obs} (95 % interval {obs_lo} to "
                        "{obs_hi}). Without the organisation the ratio would have been {cf}, because citizens "
                        "are enrolled just after a crisis and often improve by themselves (regression to the "
                        "mean). The organisation's own effect is therefore a ratio of {eff} ({eff_lo} to "
                        "{eff_hi}); 1 means no effect.")},
}


# An optimising sweep's sentence for the report (sim.output.optimisation), in both languages
OPTIMISATION = {
    "da": {"best": ("Bedste løsning fundet ({trials} forsøg, {distinct} forskellige punkter): {point}. "
                    "Den giver en ændring i {what} på {value} {unit}{against} (95 %-interval {covers})."),
           "against": " i forhold til {baseline}",
           "covers_noise": "over gennemløbene", "covers_draws": "over parametrenes usikkerhed",
           "gains": "Samtidig: {gains}.",
           "options": "Kan ikke skelnes fra den (intervallerne overlapper): {options}.",
           "alone": "Ingen andre punkter har et interval, der overlapper dens.",
           "p_best": "Sandsynligheden for, at den er den bedste af dem: {p} %.",
           "binding": "Begrænsninger, der binder: {binding}.",
           "not_binding": "Ingen begrænsning binder: intet bedre punkt brød en af dem.",
           "infeasible": ("Intet af de {distinct} forskellige punkter ({trials} forsøg) overholder alle "
                          "begrænsninger; brudt: {broken}. Løsn en begrænsning eller udvid søgeområdet."),
           "none": "ingen",
           "trials_title": "Forsøgene: målet for hvert forsøg (95 %-interval)",
           "levers_title": "Målet over hvert håndtag",
           "trial": "forsøg", "feasible": "overholder begrænsningerne", "infeasible_point": "bryder en begrænsning",
           "best_so_far": "bedste indtil nu", "best_point": "bedste"},
    "en": {"best": ("Best option found ({trials} trials, {distinct} distinct points): {point}. "
                    "It changes {what} by {value} {unit}{against} (95 % interval {covers})."),
           "against": " against {baseline}",
           "covers_noise": "over the replications", "covers_draws": "over the parameters' uncertainty",
           "gains": "Meanwhile: {gains}.",
           "options": "Cannot be told apart from it (the intervals overlap): {options}.",
           "alone": "No other point has an interval that overlaps its own.",
           "p_best": "The probability that it is the best of these: {p} %.",
           "binding": "Constraints that bind: {binding}.",
           "not_binding": "No constraint binds: no better point broke one.",
           "infeasible": ("None of the {distinct} distinct points ({trials} trials) keeps every constraint; "
                          "broken: {broken}. Loosen a constraint or widen the search space."),
           "none": "none",
           "trials_title": "The trials: each trial's objective (95 % interval)",
           "levers_title": "The objective over each lever",
           "trial": "trial", "feasible": "keeps the constraints", "infeasible_point": "breaks a constraint",
           "best_so_far": "best so far", "best_point": "best"},
}

# Parameters a planner sweeps, by readable name: (Danish, English). A parameter is looked
# up by its whole dotted name in ASSUMPTIONS, then by its last one or two parts here;
# any other is shown by its last part, as the configuration names it.
PARAMETERS = {
    "caseload": ("borgere pr. behandler", "citizens per worker"),
    "municipal_share": ("kommunal andel af personalet", "municipal share of staff"),
    "pulled_back_share.municipal": ("kommunal tid trukket tilbage", "municipal time pulled back"),
    "pulled_back_share.regional": ("regional tid trukket tilbage", "regional time pulled back"),
    "board_share": ("tavlens andel af teamets tid", "the board's share of team time"),
    "team_base": ("teamets base", "team base"),
    "layout": ("teamenes placering", "team layout"),
    "population": ("optageområde", "catchment"),
    "beds": ("psykiatriske senge", "psychiatric beds"),
    "driving_minutes": ("køretid", "driving time"),
    "organisation": ("organisering", "organisation"),
    "adults": ("voksne", "adults"), "residents": ("indbyggere", "residents"),
    "target_per_1000_adults": ("målgruppe pr. 1.000 voksne", "target group per 1,000 adults"),
    "travel_minutes_local": ("køretid fra eget team", "driving time from a local team"),
    "travel_minutes_cluster": ("køretid fra klyngens team", "driving time from the cluster's team"),
    "speed_kmh": ("gennemsnitsfart på vejene", "mean speed on the roads"),
    "max_intensive_share": ("tavlens andel af teamets tid", "the board's share of team time"),
    "discharge_planning_from_admission_prob": ("udskrivelse planlagt fra indlæggelsen",
                                               "discharge planned from admission"),
    "cross_sector_info_prob": ("delt information mellem sektorerne", "information shared across sectors"),
    "pulled_back_share": ("tid trukket tilbage", "time pulled back"),
    "bed_day": ("pris for en sengedag", "price of a bed day"),
    "coercive_bed_day_extra": ("tillæg for en dag under tvang", "extra for a day under coercion"),
    "fte_year_regional": ("pris for et regionalt årsværk", "price of a regional FTE"),
    "fte_year_municipal": ("pris for et kommunalt årsværk", "price of a municipal FTE"),
    "discharge_ready_day_payment": ("betaling for en færdigbehandlingsdag", "payment for a day ready for discharge"),
    "overload_utilisation": ("grænse for overbelastning", "overload threshold"),
    "uncertainty": ("usikkerhed", "uncertainty"), "draws": ("gennemløb med usikkerhed", "uncertainty draws"),
    "replications": ("gennemløb", "replications"), "seed": ("startværdi", "seed"),
}
# categorical values a sweep may take, by readable name: (Danish, English)
VALUES = {
    "catchment": ("ét team for hele optageområdet", "one team for the catchment"),
    "municipality": ("ét team pr. kommune", "one team per municipality"),
    "cluster": ("ét team pr. klynge", "one team per cluster"),
    "one_team": ("ét team for hele optageområdet", "one team for the catchment"),
    "per_municipality": ("ét team pr. kommune", "one team per municipality"),
    "per_cluster": ("ét team pr. klynge", "one team per cluster"),
    "midtjylland_hubs": ("tre regionale knudepunkter", "three regional hubs"),
    "midtjylland_shared": ("små kommuner deler et team", "small municipalities share a team"),
    "horsens_two_teams": ("to teams i Horsens-klyngen", "two teams in the Horsens cluster"),
    "midtjylland": ("Region Midtjylland", "Region Midtjylland"),
    "silkeborg": ("Silkeborg", "Silkeborg"),
    "aarhus_klyngen": ("Aarhus-klyngen", "Aarhus cluster"),
    "randers_klyngen": ("Randers-klyngen", "Randers cluster"),
    "horsens_klyngen": ("Horsens-klyngen", "Horsens cluster"),
    "midtklyngen": ("Midt-klyngen", "Midt cluster"),
    "vestklyngen": ("Vest-klyngen", "Vest cluster"),
    "True": ("ja", "yes"), "False": ("nej", "no"),
}


# the shipped organisations as a sentence names them, with their article: (Danish, English);
# an organisation of a user's own is named by its label
ORGANISATION_PHRASES = {
    "fragmented": ("en fragmenteret indsats", "fragmented sectors"),
    "fact_crosssector": ("et tværsektorielt FACT-team", "a cross-sectoral FACT team"),
    "fact_regional": ("et regionalt FACT-team", "a regional FACT team"),
    "fact_dutch": ("et FACT-team efter hollandsk model", "a Dutch-model FACT team"),
    "coordinated": ("en koordineret indsats (3CP)", "coordinated care (3CP)"),
}


def organisation_phrase(name: str, label: str, lang: str) -> str:
    """An organisation as a sentence names it ("et tværsektorielt FACT-team"), or its label."""
    phrases = ORGANISATION_PHRASES.get(name)
    return phrases[LANGUAGES.index(lang)] if phrases else label


def keep_together(text: str) -> str:
    """Text where a line never breaks inside "95 %-interval" or "39 %": a no-break space
    before % and a no-break hyphen after it (HTML or plain text alike)."""
    return text.replace(" %", "\u00a0%").replace("%-", "%\u2011")


def parameter(key: str, lang: str) -> str:
    """A swept parameter's readable name in ``lang``."""
    i = LANGUAGES.index(lang)
    if key in ASSUMPTIONS:
        return ASSUMPTIONS[key][i]
    parts = key.split(".")
    for tail in (".".join(parts[-2:]), parts[-1]):
        if tail in PARAMETERS:
            return PARAMETERS[tail][i]
    return parts[-1].replace("_", " ")


def value(v, lang: str) -> str:
    """A swept value as ``lang`` writes it: a number in its format (Babel), a categorical
    value by its readable name."""
    from sim.output import numbers
    if isinstance(v, int | float) and not isinstance(v, bool) or hasattr(v, "dtype") and v.dtype.kind in "iuf":
        v = float(v)
        return numbers.number(v, lang, 0 if v.is_integer() else numbers.decimals_for(v))
    return VALUES[str(v)][LANGUAGES.index(lang)] if str(v) in VALUES else str(v)


# the outcomes a valuation values, one of each as a sentence names it: (Danish, English)
VALUED = {
    "bed_days": ("sengedag", "bed day"), "admissions": ("indlæggelse", "admission"),
    "coercive_admissions": ("tvangsindlæggelse", "coercive admission"),
    "coercive_bed_days": ("sengedag under tvang", "bed day under coercion"),
    "bed_blocking_days": ("færdigbehandlingsdag", "day ready for discharge"),
    "days_out_of_contact": ("dag uden kontakt", "day out of contact"),
}
# the shipped valuation's groups of assumptions, as a sentence names them: (Danish, English);
# a group of a user's own is named by its key
GROUPS = {
    "mechanisms": ("organiseringens mekanismer", "the organisation's mechanisms"),
    "illness_course": ("sygdomsforløbet", "the illness course"),
    "costs": ("priserne", "the prices"),
}


def valued(outcome: str, lang: str) -> str:
    """One unit of a valued outcome, as a sentence names it ("sengedag")."""
    entry = VALUED.get(outcome)
    return entry[LANGUAGES.index(lang)] if entry else outcome.replace("_", " ")


def group(name: str, lang: str) -> str:
    """A group of assumptions by its readable name (a user's own by its key)."""
    entry = GROUPS.get(name)
    return entry[LANGUAGES.index(lang)] if entry else name.replace("_", " ")
