"""Every word of the workshop page, in Danish and English (the report's own words are in
:mod:`sim.output.words`). A test checks that both languages have the same keys."""
from __future__ import annotations

APP = {
    "da": {
        "title": "Workshop: hvad gør organiseringen ved borgernes forløb?",
        "intro": ("Vælg et optageområde og de organiseringer der skal sammenlignes, flyt håndtagene, og "
                  "tryk Kør. Samme borgere, samme tilfældigheder: forskellene skyldes organiseringen."),
        "language": "Sprog",
        "catchment": "Optageområde", "upload": "Hent dit eget optageområde (YAML)",
        "upload_help": "En fil som scenarios/population/silkeborg.yaml, med kilder til hvert tal.",
        "edit": "Ret kommunernes tal", "edit_help": "Ret et tal i tabellen; resten følger filen.",
        "baseline": "Sammenlign med", "organisation": "Organisering",
        "layout": "Teamenes placering", "layout_baseline": "Sammenligningens placering",
        "layout_default": "som organiseringen angiver",
        "replications": "Gennemløb", "replications_help": "Flere giver smallere intervaller og tager længere tid.",
        "seed": "Startværdi for tilfældighederne",
        "presets": "Forudindstillinger", "preset_pick": "Vælg en forudindstilling",
        "preset_apply": "Brug", "preset_none": "(ingen)",
        "levers": "Håndtag", "run": "Kør",
        "refused": "{lever}: {value} {unit} er ikke muligt; tilladt: {allowed}. Intet er kørt.",
        "running": "Kører {done} af {total} gennemløb ...",
        "served": "Samme opsætning er kørt før: resultatet hentes fra kørsel {run}.",
        "finished": "Færdig på {seconds} s (kørsel {run}).",
        "results": "Resultat", "pathways": "Forløb", "compare": "Gem og sammenlign", "downloads": "Hent",
        "tradeoffs": "Personale, kontakter og tid",
        "fte_regional": "Regionale årsværk (betalt)", "fte_municipal": "Kommunale årsværk (betalt)",
        "utilisation": "Andel af den betalte tid der bruges (%)",
        "contacts_lost": "Tabte rutinekontakter i perioden", "inreach_lost": "Tabte besøg under indlæggelse",
        "outreach_lost": "Tabte opsøgende besøg", "bed_waits": "Indlæggelser med ventetid på en seng",
        "bed_wait_days": "Dage med ventetid på en seng", "driving": "Køretimer i perioden",
        "scaleups_refused": "Afviste opskaleringer",
        "save_name": "Navn på scenariet", "save": "Gem scenariet",
        "saved_full": "Der kan gemmes fire scenarier; fjern et først.",
        "saved": "Gemte scenarier", "remove": "Fjern", "no_saved": "Ingen gemte scenarier endnu.",
        "side_by_side": "Ændring i forhold til sammenligningen, side om side (95 %-interval)",
        "outcome": "Udfald",
        "download_csv": "Tabeller (CSV, zip)", "download_excel": "Tabeller (Excel)",
        "download_report": "Rapport (HTML, dansk)",
        "pathways_intro": ("De samme {n} borgere under hver organisering, måned for måned (første gennemløb, "
                           "tilfældigt udvalgt blandt dem der var med fra start). Hver borger bliver i sin "
                           "organiserings kolonne; farven er borgerens tilstand. Tryk på afspil, eller træk i "
                           "skyderen."),
        "month": "måned", "citizen": "borger", "state": "tilstand", "gone": "har forladt målgruppen",
        "no_events": "Kørslen har ingen hændelseslog (event_log=false).",
        "first_run": "Tryk Kør for at se resultatet.",
        # refusals of an uploaded file: one sentence each, naming what is wrong
        "upload_refused": "Filen er ikke brugt: {reason}",
        "upload_too_big": "Filen fylder {size} KB; et optageområde må højst fylde {limit} KB.",
        "upload_not_text": "Filen er ikke tekst i UTF-8; gem den som UTF-8-tekst (YAML) og hent den igen.",
        "upload_package": "Filen har en @package-linje (linje {line}); et optageområde må kun indeholde tal og tekst.",
        "upload_documents": "Filen har flere YAML-dokumenter (---); et optageområde er ét dokument.",
        "upload_alias": "Filen bruger YAML-ankre eller -henvisninger (& eller *) på linje {line}; skriv værdierne ud.",
        "upload_deep": "Filen er indlejret mere end {limit} niveauer dybt (linje {line}).",
        "upload_many": "Filen har mere end {limit} værdier; et optageområde har langt færre.",
        "upload_tag": ("Filen bruger et YAML-mærke (!! eller !) på linje {line}; et optageområde må kun indeholde tal "
                       "og tekst."),
        "upload_long": "Værdien på linje {line} er {chars} tegn lang; højst {limit} tegn er tilladt.",
        "upload_number": "Tallet på linje {line} har {chars} tegn; et tal må højst have {limit}.",
        "upload_not_yaml": "Filen kan ikke læses som YAML (linje {line}: {problem}).",
        "upload_not_catchment": "Filen er ikke et optageområde: den skal have nøgler som name, municipalities og beds.",
        "upload_defaults": "Filen har en defaults:-liste; et optageområde må ikke hente andre filer ind.",
        "upload_interpolation": ("{key} indeholder '${{'; henvisninger til andre værdier, filer eller miljøet er ikke "
                                 "tilladt."),
        "upload_key": "En nøgle under {key} er ikke tekst ({value}); alle nøgler skal være navne.",
        "upload_invalid": "Optageområdet er ikke gyldigt: {message}",
        # the server's limits, for uploads, the catchment editor, the levers and presets alike
        "limit_max": "{key} = {value} er over serverens grænse på {limit}; intet er kørt.",
        "limit_min": "{key} = {value} er under serverens grænse på {limit}; intet er kørt.",
        "limit_citizens": ("Optageområdet har {citizens} borgere i målgruppen; serveren tillader højst {limit}, og "
                           "intet er kørt."),
        "limit_replications": "{value} gennemløb er flere end serverens grænse på {limit}; intet er kørt.",
        "limit_work": ("Kørslen er for stor: {citizens} borgere x {years} år x {replications} gennemløb x "
                       "{organisations} organiseringer = {work} borger-år, og serveren tillader højst {limit}; "
                       "intet er kørt."),
        "busy": "Serveren har for mange kørsler i kø lige nu; prøv igen om lidt (intet er kørt).",
        "busy_lock": "Serveren er optaget af en anden opsætning; prøv igen om lidt (intet er kørt).",
        "queued": "I kø: {ahead} kørsel(er) foran ...",
        "timed_out": ("Kørslen blev stoppet efter {seconds} sekunder (serverens grænse); vælg færre gennemløb eller"
                      " et mindre område."),
        "run_failed": "Kørslen fejlede; intet resultat er gemt. Prøv igen, eller kontakt den der driver siden.",
        "expired": "Resultatet er slettet fra serveren (gamle kørsler slettes); tryk Kør igen.",
        "run_id": "kørsel {run}",
        "lever_empty": "{lever}: feltet er tomt; tilladt: {allowed}. Intet er kørt.",
        "lever_not_number": "{lever}: »{value}« er ikke et tal. Intet er kørt.",
        "lever_suggest": "{lever}: »{value}« kan ikke læses som et dansk tal; mente du {hint}? Intet er kørt.",
        "lever_scope_both": "Gælder begge organiseringer.", "lever_scope_org": "Gælder kun {org}.",
        "lever_no_effect": "Har ingen virkning i {org}: {why}",
        "no_effect_one_team": ("varselstegnene ses af det team, der selv skalerer op, eller af samme sektor, så "
                               "intet skal over en sektorgrænse."),
        "out_of_date": ("Resultatet nedenfor hører til de tidligere valg. Tryk Kør for at se svaret på de nye "
                        "valg."),
        "uncertainty": "Usikkerhed", "uncertainty_help": ("Rapporten regner usikkerheden om antagelserne med; "
                                                         "det gør siden også, medmindre du vælger det hurtige svar."),
        "uncertainty_posterior": "Med usikkerheden om antagelserne (som rapporten)",
        "uncertainty_ranges": "Med usikkerheden om antagelserne (intervaller fra følsomhedsanalysen)",
        "uncertainty_none": "Kun simulationens tilfældighed (hurtigt; intervallerne er for smalle)",
        "interim": ("Foreløbigt svar: intervallerne dækker kun simulationens egen tilfældighed, ikke "
                    "usikkerheden om antagelserne. Svaret med usikkerheden kommer, når {draws} sæt af antagelser "
                    "er kørt."),
        "too_big_for_draws": ("Svaret dækker kun simulationens egen tilfældighed: med usikkerheden om "
                              "antagelserne ({draws} sæt) er kørslen for stor til siden ({work} borger-år; grænsen "
                              "er {limit}). Intervallerne er derfor for smalle."),
        "noise_only": ("Svaret dækker kun simulationens egen tilfældighed, ikke usikkerheden om antagelserne: "
                       "intervallerne er for smalle."),
        "advanced": "For facilitatoren", "answer": "Svaret",
        "preset_group": "Spørgsmål", "preset_point": "Forudindstilling",
        "same_organisation": "Vælg to forskellige organiseringer.",
        "compare_settings": "Valg",
        "payers_head": "Hvem betaler, hvem sparer",
        "tradeoffs_note": "Gennemsnit over gennemløbene med 95 %-interval for simulationens egen tilfældighed.",
        "refused_choices": "Valgene kan ikke køres: {reason}. Håndtagene er som før; intet er kørt.",
        "refused_unknown": "kontrollen afviste dem (se den tekniske forklaring)",
        "technical": "Teknisk forklaring (engelsk)",
        "uncertainty_block": "Usikkerhed om antagelserne",
        "preset_first": "Vælg først et spørgsmål", "choose": "Vælg",
        "column_municipality": "Kommune", "column_minutes": "{name} (minutter tur-retur)",
        # Streamlit's own texts, which it has in English only: shown instead by the page's
        # style (views.chrome_style)
        "chrome_upload": "Vælg fil", "chrome_upload_limit": "Højst {limit} KB pr. fil • YAML",
        "chrome_drop": "Træk en fil hertil", "chrome_enter": "Tryk Enter for at bruge værdien",
        "chrome_stop": "Stop kørslen", "chrome_stopping": "Stopper ...",
        "chrome_skip": "Spring til indholdet",
    },
    "en": {
        "title": "Workshop: what does the organisation of care do to citizens' pathways?",
        "intro": ("Choose a catchment and the organisations to compare, move the levers and press Run. "
                  "The same citizens with the same luck: differences come from the organisation."),
        "language": "Language",
        "catchment": "Catchment", "upload": "Upload your own catchment (YAML)",
        "upload_help": "A file like scenarios/population/silkeborg.yaml, with a source for every figure.",
        "edit": "Edit the municipalities' figures",
        "edit_help": "Change a figure in the table; the rest follows the file.",
        "baseline": "Compare with", "organisation": "Organisation",
        "layout": "Where the teams work", "layout_baseline": "Where the comparator's teams work",
        "layout_default": "as the organisation says",
        "replications": "Replications", "replications_help": "More give narrower intervals and take longer.",
        "seed": "Seed",
        "presets": "Presets", "preset_pick": "Choose a preset",
        "preset_apply": "Use", "preset_none": "(none)",
        "levers": "Levers", "run": "Run",
        "refused": "{lever}: {value} {unit} is not possible; allowed: {allowed}. Nothing was run.",
        "running": "Running {done} of {total} replications ...",
        "served": "The same set-up has been run before: the result comes from run {run}.",
        "finished": "Finished in {seconds} s (run {run}).",
        "results": "Result", "pathways": "Pathways", "compare": "Save and compare", "downloads": "Download",
        "tradeoffs": "Staff, contacts and time",
        "fte_regional": "Regional FTE (paid)", "fte_municipal": "Municipal FTE (paid)",
        "utilisation": "Share of the paid time in use (%)",
        "contacts_lost": "Routine contacts lost over the period", "inreach_lost": "In-reach visits lost",
        "outreach_lost": "Outreach visits lost", "bed_waits": "Admissions that waited for a bed",
        "bed_wait_days": "Days waiting for a bed", "driving": "Driving hours over the period",
        "scaleups_refused": "Refused scale-ups",
        "save_name": "Name of the scenario", "save": "Save the scenario",
        "saved_full": "Four scenarios can be saved; remove one first.",
        "saved": "Saved scenarios", "remove": "Remove", "no_saved": "No saved scenarios yet.",
        "side_by_side": "Change against the comparator, side by side (95 % interval)",
        "outcome": "Outcome",
        "download_csv": "Tables (CSV, zip)", "download_excel": "Tables (Excel)",
        "download_report": "Report (HTML, Danish)",
        "pathways_intro": ("The same {n} citizens under each organisation, month by month (the first run, a "
                           "random sample of those present from the start). Each citizen stays in their "
                           "organisation's column; the colour is the citizen's state. Press play, or drag the "
                           "slider."),
        "month": "month", "citizen": "citizen", "state": "state", "gone": "has left the target group",
        "no_events": "The run has no event log (event_log=false).",
        "first_run": "Press Run to see the result.",
        "upload_refused": "The file was not used: {reason}",
        "upload_too_big": "The file is {size} KB; a catchment may be at most {limit} KB.",
        "upload_not_text": "The file is not UTF-8 text; save it as UTF-8 text (YAML) and upload it again.",
        "upload_package": "The file has an @package line (line {line}); a catchment may hold only figures and text.",
        "upload_documents": "The file holds several YAML documents (---); a catchment is one document.",
        "upload_alias": "The file uses YAML anchors or aliases (& or *) on line {line}; write the values out.",
        "upload_deep": "The file nests more than {limit} levels deep (line {line}).",
        "upload_many": "The file holds more than {limit} values; a catchment has far fewer.",
        "upload_tag": "The file uses a YAML tag (!! or !) on line {line}; a catchment may hold only figures and text.",
        "upload_long": "The value on line {line} is {chars} characters long; at most {limit} are allowed.",
        "upload_number": "The number on line {line} has {chars} characters; a number may have at most {limit}.",
        "upload_not_yaml": "The file cannot be read as YAML (line {line}: {problem}).",
        "upload_not_catchment": "The file is not a catchment: it needs keys such as name, municipalities and beds.",
        "upload_defaults": "The file has a defaults: list; a catchment may not bring in other files.",
        "upload_interpolation": ("{key} contains '${{'; references to other values, files or the environment are not "
                                 "allowed."),
        "upload_key": "A key under {key} is not text ({value}); every key must be a name.",
        "upload_invalid": "The catchment is not valid: {message}",
        "limit_max": "{key} = {value} is above the server's limit of {limit}; nothing was run.",
        "limit_min": "{key} = {value} is below the server's limit of {limit}; nothing was run.",
        "limit_citizens": ("The catchment has {citizens} citizens in the target group; the server allows at most "
                           "{limit}, and nothing was run."),
        "limit_replications": "{value} replications are more than the server's limit of {limit}; nothing was run.",
        "limit_work": ("The run is too large: {citizens} citizens x {years} years x {replications} replications x "
                       "{organisations} organisations = {work} citizen-years, and the server allows at most "
                       "{limit}; nothing was run."),
        "busy": "The server has too many runs waiting just now; try again shortly (nothing was run).",
        "busy_lock": "The server is busy with another set-up; try again shortly (nothing was run).",
        "queued": "Waiting: {ahead} run(s) ahead ...",
        "timed_out": ("The run was stopped after {seconds} seconds (the server's limit); choose fewer replications or a"
                      " smaller catchment."),
        "run_failed": "The run failed; no result was kept. Try again, or ask whoever hosts the page.",
        "expired": "The result has been removed from the server (old runs are removed); press Run again.",
        "run_id": "run {run}",
        "lever_empty": "{lever}: the field is empty; allowed: {allowed}. Nothing was run.",
        "lever_not_number": "{lever}: '{value}' is not a number. Nothing was run.",
        "lever_suggest": "{lever}: '{value}' cannot be read as a number; did you mean {hint}? Nothing was run.",
        "lever_scope_both": "Applies to both organisations.", "lever_scope_org": "Applies only to {org}.",
        "lever_no_effect": "Has no effect in {org}: {why}",
        "no_effect_one_team": ("the warning signs are seen by the team that scales up itself, or by its own "
                               "sector, so nothing has to cross a sector border."),
        "out_of_date": "The result below belongs to the earlier choices. Press Run to see the answer to the new ones.",
        "uncertainty": "Uncertainty", "uncertainty_help": ("The report includes the uncertainty about the "
                                                           "assumptions; so does the page, unless you choose the "
                                                           "quick answer."),
        "uncertainty_posterior": "With the uncertainty about the assumptions (as the report)",
        "uncertainty_ranges": "With the uncertainty about the assumptions (ranges of the sensitivity analysis)",
        "uncertainty_none": "The simulation's noise only (quick; the intervals are too narrow)",
        "interim": ("Interim answer: the intervals cover only the simulation's own noise, not the uncertainty "
                    "about the assumptions. The answer with it comes when {draws} sets of assumptions have run."),
        "too_big_for_draws": ("The answer covers only the simulation's own noise: with the uncertainty about the "
                              "assumptions ({draws} sets) the run is too large for the page ({work} citizen-years; "
                              "the limit is {limit}). The intervals are therefore too narrow."),
        "noise_only": ("The answer covers only the simulation's own noise, not the uncertainty about the "
                       "assumptions: the intervals are too narrow."),
        "advanced": "For the facilitator", "answer": "The answer",
        "preset_group": "Question", "preset_point": "Preset",
        "same_organisation": "Choose two different organisations.",
        "compare_settings": "Choices",
        "payers_head": "Who pays, who saves",
        "tradeoffs_note": "Mean over the runs with the 95 % interval of the simulation's own noise.",
        "refused_choices": "The choices cannot be run: {reason}. The levers are as before; nothing was run.",
        "refused_unknown": "the check refused them (see the technical explanation)",
        "technical": "Technical explanation",
        "uncertainty_block": "Uncertainty about the assumptions",
        "preset_first": "Choose a question first", "choose": "Choose an option",
        "column_municipality": "Municipality", "column_minutes": "{name} (minutes, round trip)",
        "chrome_upload": "Upload", "chrome_upload_limit": "At most {limit} KB per file • YAML",
        "chrome_drop": "Drag and drop a file here", "chrome_enter": "Press Enter to apply",
        "chrome_stop": "Stop", "chrome_stopping": "Stopping...",
        "chrome_skip": "Skip to main content",
    },
}

# the shipped experiments as the questions a workshop asks: experiment -> (Danish, English)
PRESET_GROUPS = {
    "staffing": ("Bemanding: hvor mange borgere pr. behandler, hvor stor en kommunal andel?",
                 "Staffing: how many citizens per case manager, what municipal share?"),
    "horsens_layouts": ("Horsens-klyngen: ét team, to teams eller ét pr. kommune?",
                        "The Horsens cluster: one team, two teams or one per municipality?"),
    "cluster_layouts": ("Klyngerne: ét team for klyngen eller ét pr. kommune?",
                        "The clusters: one team for the cluster or one per municipality?"),
    "region_layouts": ("Hele regionen: hvor skal teamene ligge?", "The whole region: where should the teams be?"),
}
