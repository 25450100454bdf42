"""CareNetwork: the teams of a care plan and which of them serve each municipality.

The network reads a care plan (resolved by the configuration) and does nothing else of
the layout's work: a plan written by hand gives exactly the teams it describes.
"""
from __future__ import annotations

import pytest

from sim.config.params import CarePlan, MunicipalCare, PlannedTeam
from sim.model.care_network import CareNetwork
from sim.model.recorder import Recorder

from ..conftest import scenario


@pytest.fixture(scope="module")
def horsens():
    return scenario("population=horsens_klyngen")


def hand_plan(sc) -> CarePlan:
    """Fragmented care's teams laid out by hand: the clinic and the acute team for two
    municipalities each, one support team per municipality, made-up round trips."""
    org = sc.baseline
    teams, care = [], {}
    for site, covers in (("west", ("skanderborg", "odder")), ("east", ("horsens", "hedensted"))):
        fixed = 6.0 if site == "west" else None   # the west site's teams have fixed staff
        for kind in ("outpatient", "acute"):
            teams.append(PlannedTeam(f"{kind}:{site}", kind, org.teams[kind], site.title(), covers[0], covers,
                                     {m: 10.0 + i for i, m in enumerate(covers)}, 50.0, fixed))
        for m in covers:
            teams.append(PlannedTeam(f"municipal:{m}", "municipal", org.teams["municipal"], m, m, (m,), {m: 30.0},
                                     25.0, None))
            care[m] = MunicipalCare(f"outpatient:{site}", f"municipal:{m}", f"acute:{site}", None)
    return CarePlan(org, tuple(teams), care, {m: 25.0 for m in care})


def test_a_hand_written_plan_gives_exactly_its_teams_staff_and_driving(horsens):
    plan = hand_plan(horsens)
    net = CareNetwork(plan, horsens.clinical, Recorder(0.0, 1.0))
    assert [t.name for t in net.teams] == [t.name for t in plan.teams]
    by_name = {t.name: t for t in net.teams}
    west, east = by_name["outpatient:west"], by_name["outpatient:east"]
    spec = plan.organisation.teams["outpatient"]
    assert sum(west.fte_by_sector.values()) == pytest.approx(6.0)   # fixed by its site
    assert sum(east.fte_by_sector.values()) == pytest.approx(spec.fte_per_100_total * 50.0 / 100)
    assert west.travel_minutes == {"skanderborg": 10.0, "odder": 11.0} and west.base == "skanderborg"
    assert west.site == "West" and west.citizens_covered == 50.0
    care = net.for_municipality("odder")
    assert care.case_management is west and care.intensive is by_name["acute:west"]
    assert care.social_support is by_name["municipal:odder"] and care.outreach is None
    assert care.routine == (west, by_name["municipal:odder"])


def test_an_enrolled_cohort_sizes_the_staff_per_100_of_those_covered(horsens):
    """A study moving only the enrolled: staff per 100 of the citizens each team covers,
    a site's fixed staff as fixed."""
    plan = hand_plan(horsens)
    covered = {"horsens": 3.0, "hedensted": 1.0, "skanderborg": 2.0, "odder": 0.0}
    net = CareNetwork(plan, horsens.clinical, Recorder(0.0, 1.0), covered)
    by_name = {t.name: t for t in net.teams}
    east = by_name["outpatient:east"]
    assert east.citizens_covered == 4.0
    assert sum(east.fte_by_sector.values()) == pytest.approx(plan.organisation.teams["outpatient"].fte_per_100_total
                                                             * 4.0 / 100)
    assert sum(by_name["outpatient:west"].fte_by_sector.values()) == pytest.approx(6.0)
    assert by_name["municipal:odder"].capacity == 0.0


def test_one_team_holding_both_roles_is_one_routine_team():
    sc = scenario()
    net = CareNetwork(sc.care_plan(sc.organisation), sc.clinical, Recorder(0.0, 1.0))
    care = net.for_municipality("silkeborg")
    assert care.case_management is care.social_support is care.intensive is care.outreach
    assert care.routine == (care.case_management,)
    assert net.plans(care) == 1


def test_information_reaches_the_acting_team_by_sector_and_plans_count_separate_teams(horsens):
    net = CareNetwork(horsens.care_plan(horsens.baseline), horsens.clinical, Recorder(0.0, 1.0))
    care = net.for_municipality("horsens")
    org = net.org
    assert net.info_prob(care.intensive, care.intensive) == 1.0
    assert net.info_prob(care.case_management, care.intensive) == org.within_sector_info_prob
    assert net.info_prob(care.social_support, care.intensive) == org.cross_sector_info_prob
    assert net.plans(care) == 2


def test_closing_the_network_adds_every_teams_hours_to_the_recorder(horsens):
    """No load: each team's available hours over the window are its capacity times the
    weeks, and the recorder's total is their sum."""
    rec = Recorder(0.0, 70.0)   # ten weeks
    net = CareNetwork(hand_plan(horsens), horsens.clinical, rec)
    net.close(70.0)
    assert rec.totals["staff_hours_available"] == pytest.approx(10.0 * sum(t.capacity for t in net.teams))
    assert rec.totals["contacts_delivered"] == 0.0 and rec.totals["staff_hours_regional"] == 0.0


def test_a_catchment_team_serves_every_municipality_from_one_base(horsens):
    net = CareNetwork(horsens.care_plan(horsens.organisation), horsens.clinical, Recorder(0.0, 1.0))
    munis = horsens.population.municipalities
    cares = {m: net.for_municipality(m) for m in munis}
    assert len({id(c.case_management) for c in cares.values()}) == 1
    team = cares["horsens"].case_management
    assert team.base == "horsens" and set(team.travel_minutes) == set(munis)
    # from Horsens a visit in Horsens is the shortest; Odder, across the cluster, is far longer
    assert min(team.travel_minutes, key=team.travel_minutes.__getitem__) == "horsens"
    assert team.travel_minutes["odder"] > 1.5 * team.travel_minutes["horsens"]
    per_100 = sum(team.fte_by_sector.values()) * 100 / horsens.population.target_group
    assert per_100 == pytest.approx(sum(m.fte_per_100 for m in team.spec.staffing.values()), abs=1e-9)


def test_one_team_per_municipality_is_staffed_for_its_own_citizens_and_drives_within_it():
    sc = scenario("population=horsens_klyngen", "layout=per_municipality")
    net = CareNetwork(sc.care_plan(sc.organisation), sc.clinical, Recorder(0.0, 1.0))
    munis = sc.population.municipalities
    teams = {m: net.for_municipality(m).case_management for m in munis}
    assert len({id(t) for t in teams.values()}) == len(munis)
    ratio = {m: sum(t.fte_by_sector.values()) / munis[m].target_group for m, t in teams.items()}
    assert max(ratio.values()) - min(ratio.values()) < 1e-12
    assert teams["odder"].travel_minutes == {"odder": sc.population.travel_minutes("odder", "odder")}
    assert teams["odder"].travel_minutes["odder"] < sc.population.travel_minutes("horsens", "odder")
