"""Driving from the towns' positions (sim.config.geography) and the region file resolved
into catchments (population/midtjylland.yaml and its clusters)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.config.geography import EARTH_RADIUS_KM, Driving, distance_km, round_trip_minutes

from ..conftest import scenario

CLUSTERS = ("aarhus_klyngen", "randers_klyngen", "horsens_klyngen", "midtklyngen", "vestklyngen")


def test_a_degree_of_latitude_is_a_360th_of_the_great_circle():
    assert distance_km(56.0, 10.0, 57.0, 10.0) == pytest.approx(2 * math.pi * EARTH_RADIUS_KM / 360)
    # along a parallel a degree shrinks with the cosine of the latitude (small steps: nearly straight)
    assert distance_km(60.0, 10.0, 60.0, 10.01) == pytest.approx(
        0.01 * 2 * math.pi * EARTH_RADIUS_KM / 360 * math.cos(math.radians(60)), rel=1e-6)


@given(st.floats(54, 58), st.floats(8, 13), st.floats(54, 58), st.floats(8, 13))
def test_distance_is_symmetric_and_zero_only_at_the_same_place(a, b, c, d):
    assert distance_km(a, b, c, d) == pytest.approx(distance_km(c, d, a, b), abs=1e-9)
    assert distance_km(a, b, a, b) == 0.0
    assert distance_km(a, b, c, d) >= 0.0


def test_the_rms_distance_to_citizens_spread_over_a_disc_matches_a_simulation():
    """The closed form sqrt(d^2 + R^2 / 2) against points drawn evenly over the disc."""
    rng = np.random.default_rng(1)
    area, d = 700.0, 25.0
    radius = math.sqrt(area / math.pi)
    r = radius * np.sqrt(rng.random(400_000))
    theta = 2 * math.pi * rng.random(400_000)
    rms = np.sqrt(np.mean((r * np.cos(theta) + d) ** 2 + (r * np.sin(theta)) ** 2))
    drive = Driving(road_factor=1.0, speed_kmh=60.0, stop_minutes=0.0)
    town = (56.0 + d / (2 * math.pi * EARTH_RADIUS_KM / 360), 10.0)   # d km north of the base
    assert distance_km(56.0, 10.0, *town) == pytest.approx(d)
    # 1 km a minute at 60 km/h, both ways: the round trip in minutes is twice the km
    minutes = round_trip_minutes(drive, (56.0, 10.0), town, area, 0.0, False)
    assert minutes / 2 == pytest.approx(rms, rel=2e-3)


def test_a_ferry_counts_only_for_a_team_from_another_municipality():
    drive = Driving(1.3, 60.0, 10.0)
    town = (55.84, 10.59)
    own = round_trip_minutes(drive, town, town, 114.0, 60.0, True)
    assert own == pytest.approx(2 * 1.3 * math.sqrt(114.0 / (2 * math.pi)) + 10.0)
    from_aarhus = round_trip_minutes(drive, (56.16, 10.20), town, 114.0, 60.0, False)
    assert from_aarhus > own + 120.0


def test_the_region_has_its_19_municipalities_and_about_3400_citizens():
    pop = scenario("population=midtjylland").population
    assert len(pop.municipalities) == 19
    assert set(pop.clusters) == {"aarhus", "randers", "horsens", "midt", "vest"}
    aarhus = pop.municipalities["aarhus"]
    assert aarhus.adults == round(319094 * 1.04 * 0.78)   # residents 2013 x growth x adult share
    assert aarhus.target_per_1000_adults == 3.3
    assert 3300 < pop.target_group < 3500
    # a Silkeborg team within Silkeborg drives the hand-set default catchment's 40 minutes
    assert pop.travel_minutes("silkeborg", "silkeborg") == pytest.approx(40.0, abs=0.5)
    # the catchment's base is Aarhus; Lemvig, at the far west, is the longest drive from it
    far = max(pop.municipalities, key=lambda m: pop.travel_minutes(None, m))
    assert far in ("lemvig", "ringkoebing_skjern")


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_a_cluster_is_the_region_file_selected_not_a_copy(cluster):
    region = scenario("population=midtjylland").population
    pop = scenario(f"population={cluster}").population
    assert pop.base in pop.municipalities and len(pop.clusters) == 1
    for m, spec in pop.municipalities.items():
        assert spec == region.municipalities[m]
        assert pop.travel_minutes(pop.base, m) == region.travel_minutes(pop.base, m)
    # beds: 8 per 100 citizens of the target group, as the region
    assert pop.beds == round(pop.target_group * 8 / 100)


def test_the_clusters_partition_the_region():
    region = scenario("population=midtjylland").population
    seen = [m for c in CLUSTERS for m in scenario(f"population={c}").population.municipalities]
    assert sorted(seen) == sorted(region.municipalities)
    assert sum(scenario(f"population={c}").population.beds for c in CLUSTERS) == region.beds


def test_a_planner_changes_the_prevalence_for_the_whole_region_in_one_override():
    low = scenario("population=midtjylland", "population.target_per_1000_adults=2.7").population
    assert low.target_group == pytest.approx(scenario("population=midtjylland").population.target_group
                                             * 2.7 / 3.3)


def test_a_hand_set_catchment_keeps_its_travel_minutes():
    pop = scenario().population
    spec = pop.municipalities["silkeborg"]
    assert not pop.positioned
    assert pop.travel_minutes(None, "silkeborg") == spec.travel_minutes_cluster
    assert pop.travel_minutes("silkeborg", "silkeborg") == spec.travel_minutes_local
