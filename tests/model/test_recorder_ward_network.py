"""Recorder (the results window), Ward (beds as a resource) and CareNetwork (which
teams serve which municipality)."""
from __future__ import annotations

import simpy

from sim.model.care_network import CareNetwork
from sim.model.recorder import Recorder
from sim.model.ward import Ward

from ..conftest import scenario


def test_the_recorder_counts_only_inside_the_window():
    rec = Recorder(10.0, 20.0)
    for t in (5.0, 10.0, 19.9, 20.0):
        rec.count("admissions", t)
    rec.span("bed_days", 5.0, 12.0)
    rec.span("bed_days", 18.0, 30.0)
    rec.span("bed_days", 25.0, 30.0)
    assert rec.totals["admissions"] == 2
    assert rec.totals["bed_days"] == 2.0 + 2.0
    assert rec.overlap(0.0, 100.0) == 10.0 and rec.overlap(21.0, 25.0) == 0.0


def test_a_released_recorder_keeps_its_totals_and_drops_what_it_kept_per_citizen():
    rec = Recorder(10.0, 20.0)
    rec.count("admissions", 12.0)
    rec.admission(7, 12.0)
    rec.seen_by(7, "FACT", 12.0)
    rec.people_admitted.add(7)
    rec.stays.append((12.0, 3.0, 0.0))
    rec.release()
    assert rec.totals["admissions"] == 1
    assert not (rec.people_admitted or rec.teams_seen or rec.stays or rec.admissions_in_year)


def test_a_ward_makes_the_second_citizen_wait_for_the_only_bed():
    env = simpy.Environment()
    ward = Ward(env, 1)
    log = []

    def patient(name, arrive, stay):
        yield env.timeout(arrive)
        wait = ward.request()
        if wait is not None:
            yield wait
        log.append((name, env.now))
        yield env.timeout(stay)
        ward.release()

    env.process(patient("a", 0.0, 5.0))
    env.process(patient("b", 1.0, 5.0))
    env.process(patient("c", 2.0, 1.0))
    env.run()
    assert log == [("a", 0.0), ("b", 5.0), ("c", 10.0)]   # first come, first served
    assert ward.free == 1 and ward.queue_length == 0


def test_a_ward_hands_a_bed_to_the_queue_before_freeing_it():
    ward = Ward(simpy.Environment(), 2)
    assert ward.request() is None and ward.request() is None and ward.free == 0
    waiting = ward.request()
    assert waiting is not None and not waiting.triggered and ward.queue_length == 1
    ward.release()
    assert waiting.triggered and ward.free == 0 and ward.queue_length == 0
    ward.release()
    ward.release()
    assert ward.free == 2


def test_unlimited_beds_never_make_anyone_wait():
    ward = Ward(simpy.Environment(), None)
    assert all(ward.request() is None for _ in range(1000))
    ward.release()
    assert ward.queue_length == 0


def _network(org_name, *overrides):
    sc = scenario("population=horsens_klyngen", *overrides)
    org = next(o for o in sc.organisations if o.name == org_name)
    return CareNetwork(sc.care_plan(org), sc.clinical, Recorder(0.0, 1.0)), sc


def test_a_catchment_team_serves_every_municipality_from_one_base():
    net, sc = _network("fact_crosssector")
    cares = {m: net.for_municipality(m) for m in sc.population.municipalities}
    assert len({id(c.case_management) for c in cares.values()}) == 1
    team = cares["horsens"].case_management
    assert team.base == "horsens" and set(team.travel_minutes) == set(sc.population.municipalities)
    # from Horsens a visit in Horsens is the shortest; Odder, across the cluster, is far longer
    assert min(team.travel_minutes, key=team.travel_minutes.get) == "horsens"
    assert team.travel_minutes["odder"] > 1.5 * team.travel_minutes["horsens"]
    per_100 = sum(team.fte_by_sector.values()) * 100 / sc.population.target_group
    assert abs(per_100 - sum(m.fte_per_100 for m in team.spec.staffing.values())) < 1e-9


def test_one_team_per_municipality_is_staffed_for_its_own_citizens():
    net, sc = _network("fact_crosssector", "layout=per_municipality")
    munis = sc.population.municipalities
    teams = {m: net.for_municipality(m).case_management for m in munis}
    assert len({id(t) for t in teams.values()}) == len(munis)
    ratio = {m: sum(t.fte_by_sector.values()) / munis[m].target_group for m, t in teams.items()}
    assert max(ratio.values()) - min(ratio.values()) < 1e-12
    assert teams["odder"].travel_minutes == {"odder": sc.population.travel_minutes("odder", "odder")}
    assert teams["odder"].travel_minutes["odder"] < net_for_cluster_odder(sc)


def net_for_cluster_odder(sc):
    """A visit in Odder by a team based in Horsens."""
    return sc.population.travel_minutes("horsens", "odder")


def test_information_reaches_the_acting_team_by_sector_and_plans_count_separate_teams():
    net, _ = _network("fragmented")
    care = net.for_municipality("horsens")
    org = net.org
    assert net.info_prob(care.intensive, care.intensive) == 1.0
    assert net.info_prob(care.case_management, care.intensive) == org.within_sector_info_prob
    assert net.info_prob(care.social_support, care.intensive) == org.cross_sector_info_prob
    assert net.plans(care) == 2
    fact, _ = _network("fact_crosssector")
    assert fact.plans(fact.for_municipality("horsens")) == 1


def test_a_misspelt_total_or_event_fails_instead_of_reading_as_zero():
    import pytest

    from sim.model.citizen import STATE_DAYS
    from sim.model.names import EVENTS, SPANS

    rec = Recorder(0.0, 10.0)
    with pytest.raises(KeyError):
        rec.count("admisions", 1.0)
    with pytest.raises(KeyError):
        rec.span("bed_day", 0.0, 1.0)
    assert set(STATE_DAYS.values()) <= set(SPANS)
    assert {"admission", "coercive_admission", "discharge", "crisis"} <= EVENTS
