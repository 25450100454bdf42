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

import hashlib
import json
import logging
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from sim.apps.workshop import housekeeping, levers, pathways, presets, runs, uploads, views, worker
from sim.apps.workshop.limits import Refusal, limits
from sim.apps.workshop.public import public
from sim.apps.workshop.words import APP
from sim.config import paths
from sim.config.errors import ConfigError
from sim.config.preflight import choices
from sim.output import words

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
    st.title(t["title"])
    st.caption(t["intro"])
    housekeeping.sweep_soon(runs.OUTPUTS, limits().server)   # old runs and uploads expire
    request = _sidebar(t, lang)
    base = _base(request, lang)
    if isinstance(base, str):   # one sentence: what is wrong, and that nothing runs
        st.error(base)
        return
    settings, table = base
    request.overrides = _catchment_editor(t, table, request)
    shown = _levers(t, lang, settings, request)
    if shown is not None:
        _run(t, lang, settings, shown, request)
    if state.get("current") and not (Path(state["current"]) / "manifest.json").is_file():
        st.info(t["expired"])   # removed by housekeeping since it was shown
        state["current"] = None
    if state.get("current"):
        _results(t, lang, Path(state["current"]))
    else:
        st.info(t["first_run"])


def _sidebar(t: dict, lang: str) -> runs.Request:
    state = st.session_state
    side = st.sidebar
    folders = [paths.SCENARIOS]
    side.subheader(t["presets"])
    options = presets.presets()
    names = [t["preset_none"]] + [p.label(lang) for p in options]
    picked = side.selectbox(t["preset_pick"], range(len(names)), format_func=lambda i: names[i], key="preset_i")
    if side.button(t["preset_apply"], disabled=picked == 0):
        _apply_preset(options[picked - 1])
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
    lays = [""] + choices(folders, "layout")
    p = state["preset"]
    population = side.selectbox(t["catchment"], pops, key=f"population_{_sig(own, p)}",
                                index=pops.index(p.get("population", own[0] if own else "silkeborg")),
                                format_func=lambda v: words.value(v, lang))
    named = lambda name: _organisation_label(name, lang)  # noqa: E731
    baseline = side.selectbox(t["baseline"], orgs, index=orgs.index(p.get("organisation@baseline", "fragmented")),
                              key=f"baseline_{_sig(p)}", format_func=named)
    organisation = side.selectbox(t["organisation"], orgs, key=f"organisation_{_sig(p)}", format_func=named,
                                  index=orgs.index(p.get("organisation", "fact_crosssector")))
    layout = side.selectbox(t["layout"], lays, index=lays.index(p.get("layout", "")), key=f"layout_{_sig(p)}",
                            format_func=lambda v: words.value(v, lang) if v else t["layout_default"])
    layout_baseline = side.selectbox(t["layout_baseline"], lays, index=lays.index(p.get("layout@baseline", "")),
                                     key=f"layout_b_{_sig(p)}",
                                     format_func=lambda v: words.value(v, lang) if v else t["layout_default"])
    replications = side.number_input(t["replications"], min_value=2, max_value=200, value=DEFAULT_REPLICATIONS,
                                     step=1, help=t["replications_help"], key="replications")
    seed = side.number_input(t["seed"], min_value=0, value=20251104, step=1, key="seed")
    extra = ["plots=false", *p.get("overrides", [])]   # the page draws its own figures
    return runs.Request(population, baseline, organisation, layout or None, layout_baseline or None,
                        int(replications), int(seed), extra, config_dir)


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
            values[lever.key] = float(value) * lever.scale
        else:
            overrides.append(ov)
    st.session_state["preset"] = {**preset.choices, "levers": values, "overrides": overrides}


@st.cache_data(show_spinner=False, max_entries=64)
def _base(request: runs.Request, lang: str) -> tuple[list[levers.Setting], pd.DataFrame] | str:
    """The levers and the catchment's table of the request as chosen (no lever moved), or
    the refusal (the command line's, or the server's limits) in ``lang``."""
    try:
        checked = runs.check(request)
    except ConfigError as err:
        return APP[lang]["refused_other"].format(message=public(str(err)).rstrip("."))
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


def _catchment_editor(t: dict, table: pd.DataFrame, request: runs.Request) -> list[str]:
    """The municipalities' figures in a form; a changed figure becomes an override."""
    with st.expander(t["edit"]):
        st.caption(t["edit_help"])
        edited = st.data_editor(table, disabled=["municipality"], hide_index=True,
                                key=f"edit_{_sig(request.population, str(request.config_dir))}")
    return list(request.overrides) + views.edits(table, edited)


def _levers(t: dict, lang: str, settings: list[levers.Setting], request: runs.Request) -> dict | None:
    """The levers in a form; the values shown (lever key -> value) when Run is pressed."""
    preset = st.session_state["preset"].get("levers", {})
    sig = _sig(request.argv(), preset)
    with st.form("levers"):
        st.subheader(t["levers"])
        columns = st.columns(2)
        shown = {}
        for i, s in enumerate(settings):
            lv = s.lever
            start = preset.get(lv.key, s.value)
            with columns[i % 2]:
                shown[lv.key] = st.number_input(f"{lv.name(lang)} ({lv.unit(lang)})",
                                                value=None if start is None else round(float(start), lv.decimals),
                                                step=lv.step, format=f"%.{lv.decimals}f", key=f"lever_{lv.key}_{sig}",
                                                help=lv.explanation(lang))
                st.caption(lv.explanation(lang))
        pressed = st.form_submit_button(t["run"], type="primary")
    return shown if pressed else None


def _run(t: dict, lang: str, settings: list[levers.Setting], shown: dict, request: runs.Request) -> None:
    request.overrides = request.overrides + levers.moved(settings, shown)
    try:
        checked = runs.check(request)   # the command line's checks, then the server's limits
    except ConfigError as err:
        message = public(str(err))
        st.error(levers.refusal(message, settings, shown, lang, t))
        st.caption(t["cli_said"].format(message=message))
        return
    except Refusal as refusal:
        st.error(refusal.sentence(t))
        return
    bar = st.progress(0.0, text=t["running"].format(done=0, total=request.replications))
    last = {"done": 0, "total": request.replications or 0}

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
        return
    except worker.TimedOut:
        st.error(t["timed_out"].format(seconds=f"{limits().work.run_seconds:g}"))
        return
    except Exception:   # noqa: BLE001 - the page stays usable and shows no traceback; the log has it
        LOG.exception("workshop: a run failed")
        st.error(t["run_failed"])
        return
    bar.empty()
    runs.report_soon(outcome.folder)
    st.session_state["current"] = str(outcome.folder)
    message = t["served"] if outcome.served else t["finished"]
    st.success(message.format(run=outcome.folder.name, seconds=f"{outcome.seconds:.1f}"))


def _results(t: dict, lang: str, folder: Path) -> None:
    os.utime(folder)   # in use: housekeeping keeps it
    run = views.Run(folder)
    tabs = st.tabs([t["results"], t["pathways"], t["compare"], t["downloads"]])
    with tabs[0]:
        st.html(run.key_sentences(lang))
        if run.comparison is not None:
            st.image(run.forest_plot(lang), width=900)
        st.subheader(t["tradeoffs"])
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
        st.download_button(t["download_csv"], lambda: runs.csv_zip(folder), file_name=f"factsim_{folder.name}.zip",
                           mime="application/zip", key="dl_csv", on_click="ignore")
        st.download_button(t["download_excel"], lambda: runs.excel(folder), file_name=f"factsim_{folder.name}.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl_xlsx",
                           on_click="ignore")
        st.download_button(t["download_report"], lambda: runs.report(folder).read_bytes(),
                           file_name=f"factsim_{folder.name}_rapport.html", mime="text/html", key="dl_report",
                           on_click="ignore")
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
