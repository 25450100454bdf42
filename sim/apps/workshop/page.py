"""The workshop page (Streamlit): ``make workshop`` or ``factsim-workshop``.

A facilitator picks a catchment and the organisations to compare (or a preset: any point
of a shipped experiment), moves the levers, and runs. Every choice becomes the command
line's arguments and is checked by its validation: an impossible value is refused on the
page, naming the lever and what is allowed, and nothing runs. The result shows the key
sentences, the forest plot of the paired changes and the trade-offs; up to four
scenarios can be saved and compared side by side; the tables (CSV, Excel) and the
Danish report download; a few citizens' pathways play month by month.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import time
from pathlib import Path

import pandas as pd
import streamlit as st

from sim.apps.workshop import downloads, housekeeping, levers, pathways, presets, runs, uploads, views, worker
from sim.apps.workshop.limits import Refusal, limits
from sim.apps.workshop.public import public
from sim.apps.workshop.words import APP
from sim.config import paths
from sim.config.errors import ConfigError
from sim.config.preflight import choices
from sim.output import numbers, words

LOG = logging.getLogger("factsim.workshop")
MAX_SAVED = 4
PATHWAY_CITIZENS = 12   # the citizens the pathways show
DEFAULT_REPLICATIONS = 10   # about 10 seconds for the default catchment on two cores
TABLE_FIELDS = {True: ("residents", "target_per_1000_adults"),
                False: ("adults", "target_per_1000_adults", "travel_minutes_local", "travel_minutes_cluster")}


def main() -> None:
    """The page, top to bottom (Streamlit runs it again at every interaction)."""
    st.set_page_config(page_title="factsim workshop", layout="wide")
    state = st.session_state
    state.setdefault("saved", [])          # [(name, folder)]
    state.setdefault("preset", {})         # the chosen preset's values for the widgets
    lang = st.sidebar.radio("Sprog / Language", ["da", "en"], horizontal=True, key="lang",
                            format_func=lambda code: {"da": "Dansk", "en": "English"}[code])
    t = APP[lang]
    st.html(views.chrome_style(t, limits().upload.max_bytes // 1024))   # Streamlit's own English, in lang
    st.title(t["title"])
    st.caption(t["intro"])
    housekeeping.sweep_soon(runs.OUTPUTS, limits().server)   # old runs and uploads expire
    request = _sidebar(t, lang)
    base = _base(request, lang)
    if isinstance(base, str):   # one Danish sentence; the levers of the last good choices stay
        st.error(base)
        if "last_base" not in state:
            return
        settings, table = state["last_base"]
        shown, problems, _ = _levers(t, lang, settings, request, disabled=True)
        _mark_out_of_date(t, request, settings, shown)
        _show_current(t, lang)
        return
    state["last_base"] = base
    settings, table = base
    request.overrides = _catchment_editor(t, lang, table, request)
    shown, problems, pressed = _levers(t, lang, settings, request)
    if pressed:
        if problems:   # the page's own check: one sentence per lever, in the leader's language
            for problem in problems:
                st.error(problem)
        else:
            _run(t, lang, settings, shown, request)
    _mark_out_of_date(t, request, settings, shown)
    _show_current(t, lang)


def _show_current(t: dict, lang: str) -> None:
    """The current result, or what to do first."""
    state = st.session_state
    if state.get("current") and not (Path(state["current"]) / "manifest.json").is_file():
        st.info(t["expired"])   # removed by housekeeping since it was shown
        state["current"] = None
    if state.get("current"):
        _results(t, lang, Path(state["current"]))
    else:
        st.info(t["first_run"])


def _signature(request: runs.Request, settings: list[levers.Setting], shown: dict) -> str:
    """What a result answers: the choices and the levers as they stand."""
    del settings
    return _sig(request.argv(), sorted((k, None if v is None else str(v)) for k, v in shown.items()))


def _mark_out_of_date(t: dict, request: runs.Request, settings: list[levers.Setting], shown: dict) -> None:
    """After any change of a choice or a lever, the result shown is marked as the old one."""
    state = st.session_state
    if state.get("current") and state.get("current_sig") != _signature(request, settings, shown):
        st.warning(t["out_of_date"], icon="⏳")
        state["out_of_date"] = True
    else:
        state["out_of_date"] = False


UNCERTAINTY = ("posterior", "ranges", "none")   # the page's choices; the first is the report's (make run)
DEFAULT_REPLICATIONS_NOISE = 10


def _sidebar(t: dict, lang: str) -> runs.Request:
    state = st.session_state
    side = st.sidebar
    folders = [paths.SCENARIOS]
    side.subheader(t["presets"])
    options = presets.presets()
    groups = list(dict.fromkeys(p.experiment for p in options))
    group = side.selectbox(t["preset_group"], [""] + groups, key="preset_group",
                           format_func=lambda g: t["preset_none"] if not g else _question(options, g, lang),
                           placeholder=t["choose"])
    points = [p for p in options if p.experiment == group]
    picked = side.selectbox(t["preset_point"], range(len(points)), format_func=lambda i: points[i].label(lang),
                            key=f"preset_i_{group}", disabled=not points, placeholder=t["preset_first"])
    if side.button(t["preset_apply"], disabled=not points):
        _apply_preset(points[picked])
        st.rerun()
    side.divider()
    uploaded = side.file_uploader(t["upload"], type=["yaml", "yml"], help=t["upload_help"])
    config_dir, own = None, []
    if uploaded is not None:
        accepted = _upload(uploaded.getvalue(), uploaded.name, t)
        if accepted is not None:
            config_dir, own = accepted.folder, [accepted.choice]
    pops = own + choices(folders, "population")
    orgs = choices(folders, "organisation")
    p = state["preset"]
    population = side.selectbox(t["catchment"], pops, key=f"population_{_sig(own, p)}",
                                index=pops.index(p.get("population", own[0] if own else "silkeborg")),
                                format_func=lambda v: words.value(v, lang), placeholder=t["choose"])
    named = lambda name: _organisation_label(name, lang)  # noqa: E731
    baseline = side.selectbox(t["baseline"], orgs, index=orgs.index(p.get("organisation@baseline", "fragmented")),
                              key=f"baseline_{_sig(p)}", format_func=named, placeholder=t["choose"])
    others = [o for o in orgs if o != baseline]   # the same organisation twice is no comparison
    wanted = p.get("organisation", "fact_crosssector")
    organisation = side.selectbox(t["organisation"], others, key=f"organisation_{_sig(p, baseline)}",
                                  format_func=named, index=others.index(wanted) if wanted in others else 0,
                                  placeholder=t["choose"])
    lays = [""] + _layouts_that_fit(population, str(config_dir) if config_dir else None)
    layout = side.selectbox(t["layout"], lays, index=lays.index(p.get("layout", "")) if p.get("layout", "") in lays
                            else 0, key=f"layout_{_sig(p, population)}",
                            format_func=lambda v: words.value(v, lang) if v else t["layout_default"],
                            placeholder=t["choose"])
    layout_baseline = side.selectbox(t["layout_baseline"], lays,
                                     index=lays.index(p.get("layout@baseline", ""))
                                     if p.get("layout@baseline", "") in lays else 0,
                                     key=f"layout_b_{_sig(p, population)}",
                                     format_func=lambda v: words.value(v, lang) if v else t["layout_default"],
                                     placeholder=t["choose"])
    uncertainty = side.selectbox(t["uncertainty"], UNCERTAINTY, key="uncertainty", help=t["uncertainty_help"],
                                 format_func=lambda u: t[f"uncertainty_{u}"], placeholder=t["choose"])
    with side.expander(t["advanced"]):
        replications = st.number_input(t["replications"], min_value=2, max_value=200,
                                       value=DEFAULT_REPLICATIONS if uncertainty != "none"
                                       else DEFAULT_REPLICATIONS_NOISE,
                                       step=1, help=t["replications_help"], key=f"replications_{uncertainty}")
        seed = st.number_input(t["seed"], min_value=0, value=20251104, step=1, key="seed")
    extra = ["plots=false", *p.get("overrides", [])]   # the page draws its own figures
    return runs.Request(population, baseline, organisation, layout or None, layout_baseline or None,
                        int(replications), int(seed), uncertainty, extra, config_dir)


def _question(options: list[presets.Preset], experiment: str, lang: str) -> str:
    return next(p.question(lang) for p in options if p.experiment == experiment)


@st.cache_data(show_spinner=False, max_entries=64)
def _layouts_that_fit(population: str, config_dir: str | None) -> list[str]:
    """The shipped layouts a catchment can take: one whose sites name municipalities
    needs them all in the catchment; one per cluster needs clusters."""
    import yaml

    try:
        pop = runs.check(runs.Request(population=population, uncertainty="none", overrides=["plots=false"],
                                      config_dir=Path(config_dir) if config_dir else None)).scenario.population
    except (ConfigError, Refusal):
        return choices([paths.SCENARIOS], "layout")   # the run's own check will say what is wrong
    munis, clusters = set(pop.municipalities), bool(pop.clusters)
    fit = []
    for name in choices([paths.SCENARIOS], "layout"):
        data = yaml.safe_load((paths.SCENARIOS / "layout" / f"{name}.yaml").read_text()) or {}
        sites = ((data.get("layout") or {}).get("sites") or {}).values()
        named = {m for site in sites for m in [site.get("base"), *(site.get("covers") or [])] if m}
        if named and not named <= munis:
            continue
        if data.get("team_base") == "cluster" and not clusters:
            continue
        fit.append(name)
    return fit


def _upload(data: bytes, name: str, t: dict) -> uploads.Accepted | None:
    """An uploaded catchment read and checked as data (:mod:`sim.apps.workshop.uploads`), or
    None with the refusal shown in one sentence."""
    try:
        return uploads.accept(data, name, runs.OUTPUTS)
    except Refusal as refusal:
        st.sidebar.error(t["upload_refused"].format(reason=refusal.sentence(t)))
    except Exception:   # noqa: BLE001 - never a traceback on the page; the server's log has it
        LOG.exception("workshop: an upload could not be read")
        st.sidebar.error(t["upload_refused"].format(reason=t["upload_not_catchment"]))
    return None


@st.cache_data(show_spinner=False)
def _organisation_label(name: str, lang: str) -> str:
    """A shipped organisation's name in ``lang``, from its own YAML file."""
    import yaml

    data = yaml.safe_load((paths.SCENARIOS / "organisation" / f"{name}.yaml").read_text()) or {}
    return str(data.get("label_da" if lang == "da" else "label") or name)


def _sig(*parts) -> str:
    """A short digest that renews a widget when what it starts from changes."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:10]


def _apply_preset(preset: presets.Preset) -> None:
    """Put a preset's choices into the widgets: its levers on the levers, the rest as overrides."""
    values, overrides = {}, []
    for ov in preset.overrides:
        key, _, value = ov.partition("=")
        lever = next((lv for lv in levers.LEVERS.values() if key.endswith(f".{lv.key}")), None)
        if lever is not None:
            values[lever.key] = float(value) * lever.scale   # in the lever's units
        else:
            overrides.append(ov)
    st.session_state["preset"] = {**preset.choices, "levers": values, "overrides": overrides}


@st.cache_data(show_spinner=False, max_entries=64)
def _base(request: runs.Request, lang: str) -> tuple[list[levers.Setting], pd.DataFrame] | str:
    """The levers and the catchment's table of the request as chosen (no lever moved), or
    the refusal (the command line's, or the server's limits) in ``lang``."""
    try:
        checked = runs.check(_noise_only(request))   # the choices, before any parameter draw
    except ConfigError as err:
        LOG.info("workshop: choices refused: %s", public(str(err)))
        return APP[lang]["refused_choices"].format(reason=_reason(str(err), lang))
    except Refusal as refusal:
        return refusal.sentence(APP[lang])
    pop = checked.scenario.population
    fields = TABLE_FIELDS[pop.positioned]
    table = pd.DataFrame([{"municipality": m, **{f: getattr(spec, f) for f in fields}}
                          for m, spec in pop.municipalities.items()])
    if pop.positioned:
        raw = checked.config["population"]["municipalities"]
        table["residents"] = [raw[m].get("residents") for m in table.municipality]
    return levers.settings(checked.scenario), table


def _catchment_editor(t: dict, lang: str, table: pd.DataFrame, request: runs.Request) -> list[str]:
    """The municipalities' figures in a form; a changed figure becomes an override."""
    with st.expander(t["edit"]):
        st.caption(t["edit_help"])
        edited = st.data_editor(table, disabled=["municipality"], hide_index=True,
                                key=f"edit_{_sig(request.population, str(request.config_dir))}",
                                column_config=_columns(t, lang, table))
    return list(request.overrides) + views.edits(table, edited)


def _columns(t: dict, lang: str, table: pd.DataFrame) -> dict[str, str]:
    """The catchment table's columns named in ``lang``, with their units (the figures keep
    their keys)."""
    named = {}
    for name in table.columns:
        text = words.parameter(f"population.municipalities.{name}", lang)
        text = text[:1].upper() + text[1:]
        named[name] = (t["column_municipality"] if name == "municipality"
                       else t["column_minutes"].format(name=text) if name.startswith("travel_minutes") else text)
    return named


def _levers(t: dict, lang: str, settings: list[levers.Setting], request: runs.Request,
            disabled: bool = False) -> tuple[dict, list[str], bool]:
    """The levers, each a field read as ``lang`` writes numbers (Babel), with its unit, what
    it does and where it applies; returns the values (lever key -> value in its units, None
    when not set), the refusals of the page's own check, and whether Run was pressed."""
    preset = st.session_state["preset"].get("levers", {})
    sig = _sig(request.argv(), preset)
    st.subheader(t["levers"])
    columns = st.columns(2)
    shown, problems = {}, []
    organisation = _organisation_label(request.organisation, lang)
    for i, s in enumerate(settings):
        lv = s.lever
        start = preset.get(lv.key, s.value)
        with columns[i % 2]:
            text = st.text_input(f"{lv.name(lang)} ({lv.unit(lang)})", value=levers.shown_text(start, lv, lang),
                                 key=f"lever_{lv.key}_{sig}", help=lv.explanation(lang), disabled=disabled)
            scope = t["lever_scope_both"] if s.both else t["lever_scope_org"].format(org=organisation)
            st.caption(f"{lv.explanation(lang)} {scope}")
            if s.no_effect:   # moving it changes nothing here: say so
                st.caption(t["lever_no_effect"].format(org=organisation, why=t[s.no_effect]))
        value, problem = levers.parse(text, lv, lang, t)
        shown[lv.key] = value if problem is None else text
        if problem:
            problems.append(problem)
    pressed = st.button(t["run"], type="primary", key="run", disabled=disabled)
    return shown, problems, pressed


def _noise_only(request: runs.Request) -> runs.Request:
    """The same request without parameter draws (the simulation's noise only)."""
    return dataclasses.replace(request, uncertainty="none", overrides=list(request.overrides))


def _reason(message: str, lang: str) -> str:
    """Why the command line's check refused the choices, in ``lang`` (the technical line is logged)."""
    t = APP[lang]
    if "baseline must differ" in message:
        return t["same_organisation"]
    return t["refused_unknown"]


def _run(t: dict, lang: str, settings: list[levers.Setting], shown: dict, request: runs.Request) -> None:
    """Check and run the request. With parameter draws, the simulation's noise alone is run
    first and shown, marked as an interim answer, while the draws run; a request whose draws
    are beyond the server's limits is answered with the noise alone, and says so."""
    state = st.session_state
    signature = _signature(request, settings, shown)   # what the answer answers: the page as it stands
    request = dataclasses.replace(request, overrides=request.overrides + levers.moved(settings, shown))
    note = None
    try:
        checked = runs.check(request)   # the command line's checks, then the server's limits
    except ConfigError as err:
        message = public(str(err))
        LOG.info("workshop: a lever refused: %s", message)
        st.error(levers.refusal(message, settings, shown, lang, t)
                 or t["refused_choices"].format(reason=_reason(message, lang)))
        with st.expander(t["technical"]):
            st.caption(message)
        return
    except Refusal as refusal:
        draws = _draws(request)
        if refusal.word != "limit_work" or not draws:
            st.error(refusal.sentence(t))
            return
        try:   # too large with its draws: the noise alone, said on the page
            checked = runs.check(_noise_only(request))
        except (ConfigError, Refusal) as err:
            st.error(err.sentence(t) if isinstance(err, Refusal) else t["refused_choices"].format(
                reason=_reason(str(err), lang)))
            return
        note = t["too_big_for_draws"].format(draws=draws, work=words.value(round(limits_work(request)), lang),
                                             limit=words.value(limits().work.max_citizen_years, lang))
    started = time.time()
    interim = st.empty()
    draws = checked.scenario.uncertainty.draws if checked.scenario.uncertainty is not None else 0
    if draws and not runs.finished(checked):   # the quick answer first, marked as such
        quick = _go(t, runs.check(_noise_only(request)))
        if quick is None:
            return
        with interim.container():
            st.warning(t["interim"].format(draws=draws), icon="⏳")
            st.html(views.Run(quick.folder).key_sentences(lang))
    outcome = _go(t, checked)
    interim.empty()
    if outcome is None:
        return
    runs.report_soon(outcome.folder)
    state["current"], state["current_sig"], state["note"] = str(outcome.folder), signature, note
    state["scroll"] = True
    message = t["served"] if outcome.served else t["finished"]
    st.success(message.format(run=outcome.folder.name, seconds=numbers.number(time.time() - started, lang, 1)))


@st.cache_data(show_spinner=False)
def _draws_of(name: str | None) -> int:
    """The parameter draws of a shipped uncertainty file (0 for none)."""
    import yaml

    if not name or name == "none":
        return 0
    data = yaml.safe_load((paths.SCENARIOS / "uncertainty" / f"{name}.yaml").read_text()) or {}
    return int(data.get("draws") or 0)


def _draws(request: runs.Request) -> int:
    """The parameter draws a request asks for (0 without)."""
    return _draws_of(request.uncertainty)


def limits_work(request: runs.Request) -> float:
    """The citizen-years a request with its draws would simulate."""
    from sim.apps.workshop.limits import citizen_years
    return citizen_years(runs.check(_noise_only(request)).scenario) * max(1, _draws(request))


def _go(t: dict, checked: runs.Checked) -> runs.Outcome | None:
    """Run one checked request with a progress bar; None (with the reason shown) when it fails."""
    total = checked.scenario.replications * max(1, checked.scenario.uncertainty.draws
                                                if checked.scenario.uncertainty is not None else 1)
    bar = st.progress(0.0, text=t["running"].format(done=0, total=total))
    last = {"done": 0, "total": total}

    def progress(done: int, total: int) -> None:
        if done >= 0:   # (-1, -1): a heartbeat while a replication runs; redrawing lets Stop end the run
            last.update(done=done, total=total)
        total_ = last["total"] or 1
        bar.progress(min(1.0, last["done"] / total_), text=t["running"].format(**last))

    def waiting(ahead: int) -> None:
        bar.progress(0.0, text=t["queued"].format(ahead=ahead))

    try:
        outcome = runs.run(checked, progress, waiting)
    except Refusal as refusal:
        st.error(refusal.sentence(t))
        return None
    except worker.TimedOut:
        st.error(t["timed_out"].format(seconds=f"{limits().work.run_seconds:g}"))
        return None
    except Exception:   # noqa: BLE001 - the page stays usable and shows no traceback; the log has it
        LOG.exception("workshop: a run failed")
        st.error(t["run_failed"])
        return None
    finally:
        bar.empty()
    return outcome


SCROLL = """<script>
const doc = window.parent.document;
const answer = doc.getElementById("svaret");
if (answer) { answer.scrollIntoView({behavior: "instant", block: "start"}); }
</script>"""


def _results(t: dict, lang: str, folder: Path) -> None:
    state = st.session_state
    os.utime(folder)   # in use: housekeeping keeps it
    run = views.Run(folder)
    st.html(f"<h2 id='svaret' class='answer{' old' if state.get('out_of_date') else ''}'>{t['answer']}</h2>")
    if state.pop("scroll", False):   # the answer just drawn: bring it into view (our own script, no user text)
        st.iframe(SCROLL, height=1)
    if not run.has_draws:   # an interval that covers less says so
        st.warning(state.get("note") or t["noise_only"], icon="⚠️")
    tabs = st.tabs([t["results"], t["pathways"], t["compare"], t["downloads"]])
    with tabs[0]:
        st.html(run.key_sentences(lang))
        st.html(run.payers(lang))
        if run.has_draws:
            st.html(run.uncertainty(lang))
        if run.comparison is not None:
            st.image(run.forest_plot(lang), width=900)
        st.subheader(t["tradeoffs"])
        st.caption(t["tradeoffs_note"])
        st.dataframe(run.tradeoffs(lang, t), hide_index=True)
    with tabs[1]:
        events = run.pathway_events(PATHWAY_CITIZENS)   # those citizens' events only, not the whole log
        if events is None or events.empty:
            st.info(t["no_events"])
        else:
            fig, n = pathways.animation(events, run.labels(lang), run.scenario.seed, lang, t, PATHWAY_CITIZENS)
            st.caption(t["pathways_intro"].format(n=n))
            st.plotly_chart(fig, width="stretch")
    with tabs[2]:
        _compare(t, lang, folder)
    with tabs[3]:
        stem = downloads.file_stem(folder, lang)   # readable: the catchment and the organisations, no id
        w = downloads.WORDS[lang]
        st.download_button(t["download_csv"], lambda: downloads.csv_zip(folder, lang),
                           file_name=f"{stem}_{w['tables']}.zip", mime="application/zip", key="dl_csv",
                           on_click="ignore")
        st.download_button(t["download_excel"], lambda: downloads.excel(folder, lang),
                           file_name=f"{stem}_{w['tables']}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx",
                           on_click="ignore")
        st.download_button(t["download_report"], lambda: runs.report(folder).read_bytes(),
                           file_name=f"{stem}_{downloads.WORDS['da']['report']}.html", mime="text/html",
                           key="dl_report", on_click="ignore")
        st.caption(t["run_id"].format(run=folder.name))


def _compare(t: dict, lang: str, folder: Path) -> None:
    saved = st.session_state["saved"]
    name = st.text_input(t["save_name"], value=f"{len(saved) + 1}", key=f"save_name_{len(saved)}")
    if st.button(t["save"], disabled=len(saved) >= MAX_SAVED):
        taken = {n for n, _ in saved}
        unique = next(f"{name} ({i})" if i else name for i in range(len(saved) + 2)
                      if (f"{name} ({i})" if i else name) not in taken)
        saved.append((unique, str(folder)))
        st.rerun()
    if len(saved) >= MAX_SAVED:
        st.caption(t["saved_full"])
    if not saved:
        st.info(t["no_saved"])
        return
    st.subheader(t["saved"])
    for i, (label, _) in enumerate(saved):
        if st.button(f"{t['remove']}: {label}", key=f"remove_{i}"):
            saved.pop(i)
            st.rerun()
    st.caption(t["side_by_side"])
    st.dataframe(views.side_by_side([(n, Path(f)) for n, f in saved], lang, t), hide_index=True)


if __name__ == "__main__":   # ``streamlit run`` executes this file as __main__
    main()
