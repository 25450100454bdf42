"""Where citizens live and how far a team drives to them.

A catchment's municipalities may carry the position of their main town and their area
(population/*.yaml). A team based in one town then drives, for each home visit, a round
trip to a citizen of any municipality:

    2 x road_factor x sqrt(d^2 + area / (2 pi)) / speed  +  2 x ferry (another town's
    team only)  +  stop minutes

where ``d`` is the straight-line distance between the two towns. The citizens of a
municipality are taken as spread evenly over a disc of the municipality's area centred
on its main town, and ``sqrt(d^2 + area / (2 pi))`` is the root mean square
straight-line distance from the base to them (the mean squared distance from a point at
distance ``d`` from the centre of a disc of radius R to a point spread evenly over it is
d^2 + R^2 / 2). A road is ``road_factor`` times the straight line, driven at
``speed_kmh``; ``stop_minutes`` is the time per visit to park and reach the door. All
three are assumptions stated with their reasons in the population file.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from sim.config.validate import nonneg, pos

EARTH_RADIUS_KM = 6371.0   # mean radius of the Earth (IUGG), for great-circle distances
MINUTES_PER_HOUR = 60.0


@dataclass(frozen=True)
class Driving:
    """How straight-line distance becomes driving time (population.driving)."""
    road_factor: float = pos()     # road km per straight-line km
    speed_kmh: float = pos()       # mean speed on those roads
    stop_minutes: float = nonneg()  # per visit: parking and reaching the door


@dataclass(frozen=True)
class Cluster:
    """A cluster ("klynge") of municipalities that share a regional hospital unit and plan
    together; ``base`` is the municipality whose town a cluster-wide team drives from."""
    label: str
    base: str


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points in degrees (haversine formula)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def round_trip_minutes(driving: Driving, base: tuple[float, float], town: tuple[float, float],
                       area_km2: float, ferry_minutes: float, own_municipality: bool) -> float:
    """Minutes of one home visit's round trip from a team's ``base`` (lat, lon) to a
    citizen of the municipality whose main town is ``town``, of ``area_km2`` and with
    ``ferry_minutes`` each way to reach it from another municipality (see the module
    docstring); ``own_municipality``: the team is based in that municipality."""
    d = distance_km(*base, *town)
    rms = math.sqrt(d * d + area_km2 / (2 * math.pi))
    drive = 2 * driving.road_factor * rms / driving.speed_kmh * MINUTES_PER_HOUR
    return drive + driving.stop_minutes + (0.0 if own_municipality else 2 * ferry_minutes)
