"""The care plan: each organisation laid over the catchment once, by the configuration.

The scenario resolves its organisations' plans when it is made (sites, the
municipalities each team covers, staff, driving per municipality and team, which team
serves each municipality in each role); the model builds its teams from the plan and
does none of this work itself.
"""
from __future__ import annotations

import dataclasses

import pytest

import sim.config.params as params
from sim.config.errors import ConfigError
from sim.experiments.simulate import simulate

from ..conftest import scale_staff, scenario

HORSENS = ("horsens", "hedensted", "skanderborg", "odder")


def test_a_catchment_team_covers_every_municipality_with_its_hand_set_driving():
    sc = scenario()   # Silkeborg: one municipality, driving set by hand in the YAML
    plan = sc.care_plan(sc.organisation)
    (fact,) = plan.teams
    silkeborg = sc.population.municipalities["silkeborg"]
    assert (fact.name, fact.kind, fact.covers, fact.base, fact.fte) == ("fact", "fact", ("silkeborg",), None, None)
    # a catchment-wide team drives from the catchment's base: the hand-set cluster round trip
    assert fact.travel_minutes == {"silkeborg": silkeborg.travel_minutes_cluster}
    assert fact.citizens == silkeborg.adults * silkeborg.target_per_1000_adults / 1000
    care = plan.care["silkeborg"]
    assert (care.case_management, care.social_support, care.intensive, care.outreach) == ("fact",) * 4


def test_a_layouts_sites_and_a_municipal_service_are_planned_per_site_and_per_municipality():
    sc = scenario("population=horsens_klyngen", "organisation=coordinated", "layout=horsens_two_teams")
    plan = sc.care_plan(sc.organisation)
    pop = sc.population
    kinds = [k for k, t in sc.organisation.teams.items() if not t.per_municipality]
    local = [k for k, t in sc.organisation.teams.items() if t.per_municipality]
    assert kinds and local
    # per site: its own teams, then the municipal service of each municipality it covers
    expected = []
    for site, covers in (("south", ("horsens", "hedensted")), ("north", ("skanderborg", "odder"))):
        expected += [f"{k}:{site}" for k in kinds] + [f"{k}:{m}" for m in covers for k in local]
    assert [t.name for t in plan.teams] == expected
    south = next(t for t in plan.teams if t.name == f"{kinds[0]}:south")
    assert south.covers == ("horsens", "hedensted") and south.base == "horsens"
    assert south.citizens == pop.municipalities["horsens"].target_group + pop.municipalities["hedensted"].target_group
    # driving from the site's own base, not the catchment's
    assert south.travel_minutes == {m: pop.travel_minutes("horsens", m) for m in ("horsens", "hedensted")}
    north = next(t for t in plan.teams if t.name == f"{kinds[0]}:north")
    assert north.travel_minutes["odder"] == pop.travel_minutes("skanderborg", "odder")
    assert north.travel_minutes["odder"] != pop.travel_minutes("horsens", "odder")
    service = next(t for t in plan.teams if t.name == f"{local[0]}:odder")
    assert service.covers == ("odder",) and service.travel_minutes == {"odder": pop.travel_minutes("odder", "odder")}
    assert service.citizens == pop.municipalities["odder"].target_group
    # each municipality is served by its own site's teams in every role
    roles = {role: sc.organisation.team_with(role) for role in ("case_management", "social_support", "intensive")}
    for m in HORSENS:
        site = "south" if m in ("horsens", "hedensted") else "north"
        care = plan.care[m]
        for role, kind in roles.items():
            where = m if sc.organisation.teams[kind].per_municipality else site
            assert getattr(care, role) == f"{kind}:{where}"


def test_a_sites_fixed_staff_and_municipal_share_are_in_its_planned_team():
    sc = scenario("population=horsens_klyngen", "layout=horsens_two_teams",
                  "+organisation.layout.sites.south.fte={fact: 12}",
                  "+organisation.layout.sites.south.municipal_share={fact: 0.75}")
    plan = sc.care_plan(sc.organisation)
    south, north = (next(t for t in plan.teams if t.name == f"fact:{s}") for s in ("south", "north"))
    assert south.fte == 12 and south.spec.municipal_share == 0.75
    assert north.fte is None and north.spec is sc.organisation.teams["fact"]


def test_the_scenario_lays_each_organisation_over_the_catchment_once(monkeypatch):
    """Made once with the scenario; a replication of either organisation plans nothing."""
    calls = []
    plan_care, plan_sites = params.plan_care, params.plan_sites
    monkeypatch.setattr(params, "plan_care", lambda *a, **k: calls.append("care") or plan_care(*a, **k))
    monkeypatch.setattr(params, "plan_sites", lambda *a, **k: calls.append("sites") or plan_sites(*a, **k))
    sc = scenario("replications=1", "warmup_years=0", "results_years=0.1")
    assert calls == ["care", "sites"] * 2   # the baseline's, then the organisation's
    for org in sc.organisations:
        assert sc.care_plan(org) is sc.care_plans[org.name]
        simulate(sc, org, 0)
    assert len(calls) == 4


def test_an_organisation_of_ones_own_gets_its_own_plan_not_the_stored_one():
    sc = scenario()
    variant = scale_staff(sc.organisation, 2.0)   # the same name, other staff
    plan = sc.care_plan(variant)
    assert plan.organisation is variant and plan is not sc.care_plans[variant.name]
    assert plan.teams[0].spec.staff["psychiatrist"].fte_per_100 == 2 * sc.organisation.teams["fact"].staff[
        "psychiatrist"].fte_per_100
    replaced = dataclasses.replace(sc, organisation=variant)   # a scenario made anew plans anew
    assert replaced.care_plans[variant.name].organisation is variant


def test_the_plan_is_frozen_and_no_key_of_the_yaml():
    sc = scenario()
    plan = sc.care_plan(sc.organisation)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.teams = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.teams[0].fte = 3.0  # type: ignore[misc]
    with pytest.raises(ConfigError, match="unknown key 'care_plans'"):
        scenario("+care_plans={}")


def test_a_cluster_layout_needs_every_municipality_in_a_cluster():
    with pytest.raises(ConfigError, match=r"organisation.team_base = cluster: municipality 'samsoe' has no cluster"):
        scenario("population=midtjylland", "population.municipalities.samsoe.cluster=null",
                 "layout=per_cluster")
