"""Team layouts (sim.config.layout) and what the model counts per municipality and per team.

Verification by equivalence: a planner's layout that describes the same teams as a
``team_base`` shorthand gives exactly the same replication, bit for bit; and the
outcomes per municipality and per team add up to the catchment's totals.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.experiments.simulate import simulate
from sim.model.care_network import CareNetwork
from sim.model.recorder import Recorder

from ..conftest import scenario

HORSENS = ("horsens", "hedensted", "skanderborg", "odder")


def site(name, base, covers, **extra) -> str:
    inner = ", ".join(f"{k}: {v}" for k, v in extra.items())
    return (f"+organisation.layout.sites.{name}={{base: {base}, covers: [{', '.join(covers)}]"
            + (f", {inner}" if inner else "") + "}")


def layout(*sites: str) -> list[str]:
    """Overrides that give the organisation a planner's layout with these sites."""
    return ["organisation.team_base=layout", "+organisation.sources.layout='assumption: a test layout'",
            "+organisation.layout={name: mine, label: Mine, label_da: Min, sites: {}}", *sites]


def run_fact(*overrides: str) -> dict:
    sc = scenario("population=horsens_klyngen", "~organisation@baseline", "replications=1", *overrides)
    res = simulate(sc, sc.organisation, 0)
    return {"metrics": res.metrics, "municipalities": res.municipalities, "teams": res.teams,
            "events": res.events}


def same_metrics(a: dict, b: dict) -> bool:
    return json.dumps(a["metrics"], sort_keys=True, default=str) == json.dumps(b["metrics"], sort_keys=True,
                                                                               default=str)


def test_one_site_covering_everything_is_the_catchment_team():
    one = run_fact("layout=one_team")
    mine = run_fact(*layout(site("all", "horsens", HORSENS)))
    assert same_metrics(one, mine)
    pd.testing.assert_frame_equal(one["municipalities"], mine["municipalities"])


def test_a_site_per_municipality_is_the_team_per_municipality():
    shorthand = run_fact("layout=per_municipality")
    mine = run_fact(*layout(*(site(m, m, [m]) for m in HORSENS)))
    assert same_metrics(shorthand, mine)


def test_a_cluster_catchment_laid_out_per_cluster_is_the_catchment_team():
    """horsens_klyngen is one cluster whose base is the catchment's base: the same teams."""
    assert same_metrics(run_fact("layout=one_team"), run_fact("layout=per_cluster"))


def test_outcomes_per_municipality_add_up_to_the_catchment():
    res = run_fact("layout=horsens_two_teams")
    munis = res["municipalities"].pivot(index="municipality", columns="metric", values="value")
    assert set(munis.index) == set(HORSENS)
    m = res["metrics"]
    for key in ("admissions", "coercive_admissions", "bed_days", "coercive_bed_days", "crises",
                "days_disengaged", "dropouts", "lost_at_handover", "scaleups_refused", "citizen_years",
                "people_admitted"):
        assert munis[key].sum() == pytest.approx(m[key], rel=1e-12), key
    assert m["admissions"] > 0
    per_cy = munis.bed_days / munis.citizen_years
    np.testing.assert_allclose(munis.bed_days_per_citizen_year, per_cy)


def test_each_teams_figures_add_up_to_the_catchment():
    res = run_fact("layout=horsens_two_teams")
    teams = res["teams"].pivot(index="team", columns="metric", values="value")
    assert sorted(teams.index) == ["fact:north", "fact:south"]
    m = res["metrics"]
    for key in ("staff_hours_regional", "staff_hours_municipal", "driving_hours", "contacts_delivered",
                "contacts_lost", "scaleups_refused", "scaleups"):
        assert teams[key].sum() == pytest.approx(m[key], rel=1e-12), key
    assert (teams.staff_utilisation > 0).all() and (teams.staff_utilisation <= 1).all()
    # staffed per 100 citizens of the municipalities each covers
    sc = scenario("population=horsens_klyngen", "layout=horsens_two_teams")
    target = {m: s.target_group for m, s in sc.population.municipalities.items()}
    assert teams.loc["fact:south", "citizens_covered"] == pytest.approx(target["horsens"] + target["hedensted"])
    fte = teams.staff_fte_regional + teams.staff_fte_municipal
    per_100 = sc.organisation.teams["fact"].fte_per_100_total
    np.testing.assert_allclose(fte / teams.citizens_covered * 100, per_100)


def test_a_sites_fixed_staff_and_municipal_share_replace_the_rule_per_100():
    sc = scenario("population=horsens_klyngen", *layout(
        site("south", "horsens", ["horsens", "hedensted"], fte="{fact: 12}", municipal_share="{fact: 0.75}"),
        site("north", "skanderborg", ["skanderborg", "odder"])))
    net = CareNetwork(sc.care_plan(sc.organisation), sc.clinical, Recorder(0.0, 1.0))
    south, north = (next(t for t in net.teams if t.name == f"fact:{s}") for s in ("south", "north"))
    assert sum(south.fte_by_sector.values()) == pytest.approx(12.0)
    managers = south.spec.staffing
    municipal = sum(m.fte_per_100 for m in managers.values() if m.case_manager and m.sector == "municipal")
    all_cm = sum(m.fte_per_100 for m in managers.values() if m.case_manager)
    assert municipal / all_cm == pytest.approx(0.75)
    assert north.spec.municipal_share is None   # the other site keeps the organisation's staff


def test_more_fixed_staff_refuses_fewer_scale_ups():
    """Monotone in staff: the same citizens, the board of a bigger team turns fewer away."""
    refused = []
    for fte in (4, 12, 40):
        res = run_fact(*layout(site("all", "horsens", HORSENS, fte=f"{{fact: {fte}}}")), "results_years=3")
        refused.append(res["metrics"]["scaleups_refused"])
    assert refused[0] > refused[1] >= refused[2]


def test_a_municipal_service_stays_one_per_municipality_whatever_the_layout():
    sc = scenario("population=horsens_klyngen", "layout@baseline=one_team")
    net = CareNetwork(sc.care_plan(sc.baseline), sc.clinical, Recorder(0.0, 1.0))
    names = [t.name for t in net.teams]
    assert names == ["outpatient", "acute", *(f"municipal:{m}" for m in HORSENS)]
    for m in HORSENS:
        care = net.for_municipality(m)
        assert care.social_support.name == f"municipal:{m}"
        assert care.social_support.travel_minutes == {m: sc.population.travel_minutes(m, m)}


def test_the_readme_layout_of_your_own_runs_as_written(tmp_path):
    """The layout file the planners' guide shows, written to a --config-dir folder."""
    from hydra import compose, initialize_config_dir

    from sim.config.load import load

    from ..conftest import ROOT, SCENARIOS

    text = (ROOT / "docs" / "planners.md").read_text()
    start = text.index("```yaml\n# @package organisation\n# my_scenarios/layout/two_in_the_west.yaml")
    block = text[start + len("```yaml\n"):text.index("```", start + 7)]
    (tmp_path / "layout").mkdir()
    (tmp_path / "layout" / "two_in_the_west.yaml").write_text(block)
    with initialize_config_dir(config_dir=str(SCENARIOS), version_base="1.3"):
        cfg = compose("config", overrides=[f"hydra.searchpath=[file://{tmp_path}]", "population=vestklyngen",
                                           "layout=two_in_the_west"])
    sc, _ = load(cfg)
    net = CareNetwork(sc.care_plan(sc.organisation), sc.clinical, Recorder(0.0, 1.0))
    north = next(t for t in net.teams if t.name == "fact:north")
    assert sum(north.fte_by_sector.values()) == pytest.approx(20.0)
    assert net.for_municipality("lemvig").case_management is north
    assert net.for_municipality("ikast_brande").case_management.name == "fact:south"
