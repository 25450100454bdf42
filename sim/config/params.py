"""The frozen parameter objects the model runs on.

Config flows one way: YAML in ``scenarios/`` -> Hydra composition -> :func:`load`
(validation, provenance split off) -> these frozen dataclasses -> the model.
Every value lives in YAML with its source; nothing here has a default that the
model depends on, except run settings whose defaults are in ``scenarios/config.yaml``.
A field that YAML must give has no default; the classes where such a field follows
one with a default (or a checked one, ``prob()``, which type checkers read as a
default) take keywords only, as :func:`sim.config.validate.build` makes them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Literal, TypeVar

from sim.config.errors import ConfigError
from sim.config.geography import Cluster, Driving, round_trip_minutes
from sim.config.layout import Layout
from sim.config.rollout import Rollout
from sim.config.units import DAYS_PER_MONTH, DAYS_PER_YEAR
from sim.config.validate import benefit, build, nonneg, pos, prob, ratio, share

SECTORS = ("regional", "municipal")
SUPPORT_LEVELS = ("intensive", "standard", "none")
# directions from clinical sense, never from a fit: more support never makes a crisis
# likelier to end in admission or coercion (each key's value at most the next one's)
ORDERED = (("clinical.admission_prob.intensive", "clinical.admission_prob.standard"),
           ("clinical.admission_prob.standard", "clinical.admission_prob.none"),
           ("clinical.coercion_prob.intensive", "clinical.coercion_prob.standard"),
           ("clinical.coercion_prob.standard", "clinical.coercion_prob.none"))


def check_directions(config: dict, ranges: dict[str, tuple[float, ...]], key: str) -> None:
    """No point in a box of parameter ranges (a prior's, a sensitivity range, an
    uncertainty distribution's ends) may flip a direction of ``ORDERED``: the largest
    value a key may take must not exceed the smallest its upper neighbour may take (the
    scenario's own value where it has no range). Raises one ConfigError naming the key."""
    from sim.config.dotted import value_at

    for lower, upper in ORDERED:
        if lower not in ranges and upper not in ranges:
            continue
        high = max(ranges[lower]) if lower in ranges else value_at(config, lower)
        low = min(ranges[upper]) if upper in ranges else value_at(config, upper)
        if isinstance(high, (int, float)) and isinstance(low, (int, float)) and high > low:
            name = lower if lower in ranges else upper
            raise ConfigError(f"{key}.{name}: the ranges let {lower} ({high:g}) exceed {upper} ({low:g}); "
                              f"more support never makes a crisis likelier to end in admission or coercion, "
                              f"so keep {lower} at most {upper} everywhere in the ranges")


ROLES = ("case_management", "social_support", "intensive", "assertive_outreach")

T = TypeVar("T")


def given(value: T | None, key: str) -> T:
    """A value that may be left out of the YAML but that validation sets or requires
    before anything reads it (a municipality's adults, a distribution's ends); None here
    means an object that was never validated (build it with :func:`sim.config.load.load`)."""
    if value is None:
        raise ValueError(f"{key} is not set: the parameters were not validated (sim.config.load.load)")
    return value


@dataclass(frozen=True)
class Municipality:
    """One municipality of a catchment (population/*.yaml).

    Its size is ``adults``, or ``residents`` scaled by the population's
    ``residents_scale`` and ``adult_share``; its prevalence is its own or the
    population's. Driving is either hand-set (``travel_minutes_local`` and
    ``travel_minutes_cluster``) or follows from its main town's position and its area
    (:mod:`sim.config.geography`): one or the other for the whole catchment. The
    population resolves all of this on validation, so the model sees ``adults`` and
    ``target_per_1000_adults`` set."""
    adults: int | None = nonneg(default=None)
    residents: int | None = nonneg(default=None)
    target_per_1000_adults: float | None = nonneg(default=None)
    travel_minutes_local: float | None = nonneg(default=None)    # round trip, team based in this municipality
    travel_minutes_cluster: float | None = nonneg(default=None)  # round trip, team at the catchment's base
    label: str | None = None          # a readable name (the key if not given)
    cluster: str | None = None        # a key of population.clusters
    lat: float | None = None          # the main town's position, degrees
    lon: float | None = None
    area_km2: float | None = pos(default=None)
    ferry_minutes: float = nonneg(default=0.0)   # each way, to reach it from another municipality

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        if self.adults is not None and self.residents is not None:
            raise ConfigError(f"{path}: give adults or residents, not both")
        if self.lat is not None and not -90.0 <= self.lat <= 90.0:
            raise ConfigError(f"{path}.lat = {self.lat}: must be a latitude in [-90, 90]")
        if self.lon is not None and not -180.0 <= self.lon <= 180.0:
            raise ConfigError(f"{path}.lon = {self.lon}: must be a longitude in [-180, 180]")

    @property
    def target_group(self) -> float:
        """Expected citizens of the FACT target group: adults x prevalence per 1,000."""
        return given(self.adults, "adults") * given(self.target_per_1000_adults, "target_per_1000_adults") / 1000.0

    @property
    def positioned(self) -> bool:
        """Whether its town's position and its area are given (driving follows from them)."""
        return self.lat is not None or self.lon is not None or self.area_km2 is not None

    @property
    def town(self) -> tuple[float, float]:
        """Its main town's position (latitude, longitude)."""
        return given(self.lat, "lat"), given(self.lon, "lon")


@dataclass(frozen=True)
class Costs:
    """Unit costs, so outcomes can be read as money (optional: ``+costs=...``)."""
    currency: str
    bed_day: float = nonneg()
    coercive_bed_day_extra: float = nonneg()   # on top of a bed day
    staff_hour_regional: float = nonneg()
    staff_hour_municipal: float = nonneg()


@dataclass(frozen=True)
class Economy:
    """What a choice costs and who pays (``economy/*.yaml``; on by default).

    Money is counted from what is paid, never from hours used: staff as full-time
    equivalents (FTE, årsværk) paid by each sector, beds by the days they are used. The
    region pays its beds and its staff; each municipality pays its own staff and, for
    every day a citizen ready for discharge waits in a bed for a municipal offer, a
    payment to the region (a flow between payers: it moves money, it costs nothing in
    total). A team using more than ``overload_utilisation`` of its paid hours counts as
    overloaded: a cost in capacity, stated beside the money."""
    currency: str
    bed_day: float = nonneg()                 # the region: one psychiatric bed day
    coercive_bed_day_extra: float = nonneg()  # the region: on top of a bed day under coercion
    fte_year_regional: float = nonneg()       # the region: one FTE a year (salary and overhead)
    fte_year_municipal: float = nonneg()      # a municipality: one FTE a year (salary and overhead)
    discharge_ready_day_payment: float = nonneg()   # a municipality to the region: a day ready for discharge
    overload_utilisation: float = prob()      # a team above this share of its hours in use is overloaded


@dataclass(frozen=True)
class Population:
    """The catchment: who the citizens are and which beds they share."""
    name: str
    municipalities: dict[str, Municipality]
    beds: int | None = pos()          # null means unlimited beds
    exit_rate_per_year: float = nonneg()
    age_bands: dict[str, float] = prob()
    diagnoses: dict[str, float] = prob()
    dual_diagnosis_share: float = prob()
    severity_shape: float = pos()        # gamma shape of latent severity (mean 1)
    engagement_mean: float = prob()      # beta mean of engagement propensity
    engagement_concentration: float = pos()
    prior_admissions_per_year: float = nonneg()  # history before the run, at severity 1
    cohort: bool = False                 # closed cohort: no entrants
    # a region file's data, which municipalities take unless they give their own
    residents_scale: float = pos(default=1.0)         # residents then -> now (1: as given)
    adult_share: float | None = prob(default=None)    # adults per resident
    target_per_1000_adults: float | None = nonneg(default=None)
    base: str | None = None               # the municipality a catchment-wide team drives from
    driving: Driving | None = None        # how distance becomes driving time (towns' positions)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    select_clusters: tuple[str, ...] = ()   # keep only these clusters' municipalities (empty: all)

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key.

        Resolves the municipalities first: the selected clusters only, each with its
        adults and prevalence set (from the population's figures where it gives none)."""
        if not self.municipalities:
            raise ConfigError(f"{path}.municipalities: at least one municipality is required")
        # a frozen dataclass: the selected, resolved municipalities and clusters replace the
        # given ones once, here
        municipalities, clusters = self._resolved(path)
        object.__setattr__(self, "municipalities", municipalities)
        object.__setattr__(self, "clusters", clusters)
        self._check_geography(path)
        for key in ("age_bands", "diagnoses"):
            total = sum(getattr(self, key).values())
            if abs(total - 1.0) > 1e-6:
                raise ConfigError(f"{path}.{key}: shares must sum to 1 (they sum to {total:g})")
        if not 0.0 < self.engagement_mean < 1.0:
            raise ConfigError(f"{path}.engagement_mean = {self.engagement_mean}: must be in (0, 1)")
        if self.target_group < 1:
            raise ConfigError(f"{path}.municipalities: the target group is empty "
                              "(adults x target_per_1000_adults < 1)")

    @property
    def target_group(self) -> float:
        """Expected citizens of the target group in the whole catchment."""
        return sum(m.target_group for m in self.municipalities.values())

    def _resolved(self, path) -> tuple[dict[str, Municipality], dict[str, Cluster]]:
        """The selected clusters' municipalities, each with its adults and prevalence set,
        and the selected clusters."""
        munis, clusters = self.municipalities, self.clusters
        for m, spec in munis.items():
            if spec.cluster is not None and spec.cluster not in self.clusters:
                raise ConfigError(f"{path}.municipalities.{m}.cluster = {spec.cluster!r}: unknown cluster; "
                                  f"allowed: {', '.join(self.clusters) or 'none (population.clusters is empty)'}")
        for c, cluster in self.clusters.items():
            if cluster.base not in munis or munis[cluster.base].cluster != c:
                raise ConfigError(f"{path}.clusters.{c}.base = {cluster.base!r}: must be a municipality of "
                                  f"cluster {c!r}")
        if self.select_clusters:
            unknown = [c for c in self.select_clusters if c not in self.clusters]
            if unknown:
                raise ConfigError(f"{path}.select_clusters: unknown cluster {unknown[0]!r}; allowed: "
                                  f"{', '.join(self.clusters) or 'none (population.clusters is empty)'}")
            munis = {m: spec for m, spec in munis.items() if spec.cluster in self.select_clusters}
            clusters = {c: v for c, v in clusters.items() if c in self.select_clusters}
        resolved = {}
        for m, spec in munis.items():
            where = f"{path}.municipalities.{m}"
            adults = spec.adults
            if adults is None:
                if spec.residents is None:
                    raise ConfigError(f"{where}: give adults, or residents with {path}.adult_share")
                if self.adult_share is None:
                    raise ConfigError(f"{path}.adult_share: needed to turn {where}.residents into adults")
                adults = round(spec.residents * self.residents_scale * self.adult_share)
            prevalence = spec.target_per_1000_adults
            if prevalence is None:
                prevalence = self.target_per_1000_adults
            if prevalence is None:
                raise ConfigError(f"{where}.target_per_1000_adults: missing (give it here or as "
                                  f"{path}.target_per_1000_adults for every municipality)")
            resolved[m] = replace(spec, adults=adults, target_per_1000_adults=prevalence)
        return resolved, clusters

    def _check_geography(self, path) -> None:
        """Driving is hand-set for every municipality, or follows from every town's position."""
        munis = self.municipalities
        if self.base is not None and self.base not in munis:
            raise ConfigError(f"{path}.base = {self.base!r}: not a municipality of the catchment; "
                              f"allowed: {', '.join(munis)}")
        if self.positioned:
            for m, spec in munis.items():
                for key in ("lat", "lon", "area_km2"):
                    if getattr(spec, key) is None:
                        raise ConfigError(f"{path}.municipalities.{m}.{key}: missing; with towns' positions "
                                          "every municipality needs lat, lon and area_km2")
            if self.driving is None:
                raise ConfigError(f"{path}.driving: missing; with towns' positions give road_factor, "
                                  "speed_kmh and stop_minutes")
            return
        for m, spec in munis.items():
            for key in ("travel_minutes_local", "travel_minutes_cluster"):
                if getattr(spec, key) is None:
                    raise ConfigError(f"{path}.municipalities.{m}.{key}: missing; give the round trips by "
                                      "hand, or every town's position (lat, lon, area_km2) and population.driving")

    @property
    def positioned(self) -> bool:
        """Whether driving follows from the towns' positions (else it is hand-set)."""
        return self.driving is not None or any(m.positioned for m in self.municipalities.values())

    def municipality_label(self, m: str) -> str:
        """A municipality's readable name."""
        return self.municipalities[m].label or m

    def check_travel(self, base: str | None, m: str, what: str) -> None:
        """Whether a team based in ``base`` (None: the catchment's base) has a known round
        trip to ``m``; raises ConfigError starting with ``what`` if not."""
        if self.positioned:
            if base is None and self.base is None:
                raise ConfigError(f"{what}: population '{self.name}' needs a base (population.base: the "
                                  "municipality a team for the whole catchment drives from)")
            return
        if base is not None and base != m:
            raise ConfigError(f"{what}: a team based in {base!r} visiting {m!r} needs driving times that "
                              f"population '{self.name}' does not have (it gives them only within a "
                              "municipality and from the catchment's base); give every town's position "
                              "(lat, lon, area_km2) and population.driving")

    def travel_minutes(self, base: str | None, m: str) -> float:
        """Round trip in minutes of one home visit to a citizen of ``m`` by a team based in
        ``base`` (None: the catchment's base)."""
        spec = self.municipalities[m]
        if not self.positioned:
            if base is None:
                return given(spec.travel_minutes_cluster, f"population.municipalities.{m}.travel_minutes_cluster")
            return given(spec.travel_minutes_local, f"population.municipalities.{m}.travel_minutes_local")
        home = self.municipalities[base if base is not None else given(self.base, "population.base")]
        return round_trip_minutes(given(self.driving, "population.driving"), home.town, spec.town,
                                  given(spec.area_km2, f"population.municipalities.{m}.area_km2"),
                                  spec.ferry_minutes, home is spec)


@dataclass(frozen=True)
class Course:
    """The illness course: alternating well and unwell phases (``sim.model.course``).

    ``unwell_hazard_ratio`` 1 switches the course off (a constant hazard)."""
    unwell_hazard_ratio: float = ratio()
    unwell_mean_days: float = pos()
    well_mean_days: float = pos()

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        if self.unwell_hazard_ratio < 1.0:
            raise ConfigError(f"{path}.unwell_hazard_ratio = {self.unwell_hazard_ratio:g}: must be "
                              ">= 1 (the unwell phase is the one with the higher hazard)")


@dataclass(frozen=True, kw_only=True)
class Clinical:
    """Mechanism strengths shared by every organisation (clinical/*.yaml).

    Organisations never change these: they change which path a citizen is on
    (detected or not, intensive care or not, followed in the ward or not).
    """
    deterioration_rate_per_year: float = nonneg()
    dual_diagnosis_hazard_ratio: float = ratio()
    diagnosis_hazard_ratio: dict[str, float] = ratio()
    warning_window_mean_days: float = pos()
    detection_prob_per_contact: float = prob()
    self_referral_rate_per_year: float = nonneg()
    crisis_averted_prob: float = prob()
    intensive_episode_days: float = pos()
    crisis_home_mean_days: float = pos()
    admission_prob: dict[str, float] = prob()
    coercion_prob: dict[str, float] = prob()
    los_mean_days: dict[str, float] = pos()
    los_shape: float = pos()
    inreach_los_ratio: float = benefit()     # the stay's ratio with full in-reach delivered
    needs_municipal_offer_prob: float = prob()
    municipal_offer_wait_mean_days: float = nonneg()
    post_discharge_days: float = nonneg()
    post_discharge_hazard_ratio: float = ratio()
    handover_loss_prob: float = prob()
    loss_hazard_per_day_without_contact: float = nonneg()
    dropout_rate_per_year: float = nonneg()
    dropout_ratio_per_extra_plan: float = nonneg()
    outreach_dropout_ratio: float = benefit()   # drop-out's ratio with full outreach delivered
    disengaged_hazard_ratio: float = ratio()
    spontaneous_reengagement_mean_days: float | None = pos()
    contact_minutes: float = pos()
    intensive_contacts_per_week: float = nonneg()
    inreach_contacts_per_week: float = nonneg()
    discharge_planning_contacts_per_week: float = nonneg()
    outreach_attempts_per_week: float = nonneg()
    course: Course            # the illness course

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        for key in ("admission_prob", "coercion_prob"):
            got = set(getattr(self, key))
            if got != set(SUPPORT_LEVELS):
                raise ConfigError(f"{path}.{key}: needs exactly the keys "
                                  f"{', '.join(SUPPORT_LEVELS)} (got {', '.join(sorted(got))})")
        if set(self.los_mean_days) != {"voluntary", "coercive"}:
            raise ConfigError(f"{path}.los_mean_days: needs exactly the keys voluntary, coercive")
        for lower, upper in ORDERED:
            (key, level), (_, above) = lower.split(".")[1:], upper.split(".")[1:]
            mine, theirs = getattr(self, key)[level], getattr(self, key)[above]
            if mine > theirs:
                raise ConfigError(f"{path}.{key}.{level} = {mine:g}: must be at most {path}.{key}.{above} "
                                  f"({theirs:g}); more support never makes a crisis likelier to end in "
                                  f"{'admission' if key == 'admission_prob' else 'coercion'}")


@dataclass(frozen=True)
class StaffMember:
    """A discipline in a team, sized per 100 citizens of the target group."""
    sector: Literal["regional", "municipal"]
    fte_per_100: float = nonneg()
    hours_per_week: float = pos()
    case_manager: bool = False


@dataclass(frozen=True, kw_only=True)
class TeamSpec:
    """A team of an organisation: its roles, staff and way of working."""
    label: str
    case_management: bool     # regional treatment responsibility, routine contacts
    social_support: bool      # municipal social-psychiatric support, routine contacts
    intensive: bool           # takes scale-ups (board / acute team)
    assertive_outreach: bool  # seeks out citizens who have disengaged
    inreach: bool             # keeps contact during admission
    home_visits: bool         # routine contacts at the citizen's home (driving)
    routine_contacts_per_week: float = nonneg()
    board_delay_mean_days: float = nonneg()   # from a warning sign seen in-team to scale-up
    max_intensive_share: float = prob()       # share of team time the board may take
    reengagement_mean_days: float | None = pos()
    direct_care_share: float = prob()         # share of paid time for citizen contact + driving
    pulled_back_share: dict[str, float] = share()  # by sector: time taken back by parent org
    staff: dict[str, StaffMember]
    # planners' knobs: resize the case managers to this caseload (citizens per case-manager
    # FTE) and/or split them between sectors with this municipal share; null keeps ``staff``
    caseload: float | None = pos(default=None)
    municipal_share: float | None = prob(default=None)
    label_da: str | None = None   # the team's name in Danish (a user's file may leave it out)
    # one per municipality whatever the organisation's team_base (a municipal service)
    per_municipality: bool = False

    def name(self, lang: str = "en") -> str:
        """The team's name in ``lang`` (the English label when no Danish one is given)."""
        return self.label_da if lang == "da" and self.label_da else self.label

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        if not self.staff:
            raise ConfigError(f"{path}.staff: a team needs at least one staff entry")
        managers = [m for m in self.staff.values() if m.case_manager]
        if (self.caseload is not None or self.municipal_share is not None) and not managers:
            raise ConfigError(f"{path}.caseload/municipal_share: the team has no staff with "
                              "case_manager: true to resize")
        if self.municipal_share is not None:
            for sector, needed in (("municipal", self.municipal_share > 0),
                                   ("regional", self.municipal_share < 1)):
                if needed and not any(m.sector == sector for m in managers):
                    raise ConfigError(f"{path}.municipal_share = {self.municipal_share}: needs a "
                                      f"{sector} staff entry with case_manager: true")
        unknown = set(self.pulled_back_share) - set(SECTORS)
        if unknown:
            raise ConfigError(f"{path}.pulled_back_share: unknown sector "
                              f"'{sorted(unknown)[0]}'; allowed: {', '.join(SECTORS)}")
        if self.assertive_outreach and self.reengagement_mean_days is None:
            raise ConfigError(f"{path}.reengagement_mean_days: required when assertive_outreach is true")

    @cached_property
    def staffing(self) -> dict[str, StaffMember]:
        """``staff`` with the case managers resized by ``caseload`` and ``municipal_share``."""
        managers = {k: m for k, m in self.staff.items() if m.case_manager}
        if not managers or (self.caseload is None and self.municipal_share is None):
            return self.staff
        total = (100.0 / self.caseload if self.caseload is not None
                 else sum(m.fte_per_100 for m in managers.values()))
        groups = ([("municipal", self.municipal_share), ("regional", 1.0 - self.municipal_share)]
                  if self.municipal_share is not None else [(None, 1.0)])
        weights = {}
        for sector, part in groups:
            members = {k: m for k, m in managers.items() if sector in (None, m.sector)}
            base = sum(m.fte_per_100 for m in members.values())
            for k, m in members.items():
                weights[k] = part * (m.fte_per_100 / base if base > 0 else 1.0 / len(members))
        return {k: (replace(m, fte_per_100=total * weights[k]) if k in managers else m)
                for k, m in self.staff.items()}

    @cached_property
    def fte_per_100_total(self) -> float:
        """FTE of all its staff per 100 citizens (after the caseload and share knobs)."""
        return sum(m.fte_per_100 for m in self.staffing.values())

    def check_municipal_share(self, share: float, path: str) -> None:
        """Whether the team's case managers can be split with this municipal share (a
        layout's site may set it); raises ConfigError naming ``path`` if they cannot."""
        try:
            replace(self, municipal_share=share).validate("")
        except ConfigError as err:
            raise ConfigError(f"{path} = {share:g}: {str(err).split(': ', 1)[-1]}") from None

    @cached_property
    def sectors(self) -> frozenset:
        """The sectors whose staff the team has (regional, municipal): what shared information crosses."""
        return frozenset(m.sector for m in self.staffing.values() if m.fte_per_100 > 0)


@dataclass(frozen=True, kw_only=True)
class Organisation:
    """An organisation of care: a configuration of the same mechanisms."""
    name: str
    label: str
    label_da: str
    team_base: Literal["catchment", "municipality", "cluster", "layout"]   # see sim.config.layout
    shared_plan: bool
    within_sector_info_prob: float = prob()
    cross_sector_info_prob: float = prob()
    referral_delay_mean_days: float = nonneg()
    handover_delay_mean_days: float = nonneg()
    discharge_planning_from_admission_prob: float = prob()
    teams: dict[str, TeamSpec]
    layout: Layout | None = None   # a planner's sites (layout/*.yaml), with team_base: layout

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        if not self.teams:
            raise ConfigError(f"{path}.teams: at least one team is required")
        if (self.team_base == "layout") != (self.layout is not None):
            raise ConfigError(f"{path}.team_base = {self.team_base}: a layout's sites need team_base: layout, "
                              f"and team_base: layout needs {path}.layout (choose one with layout=<name>)")
        for role in ("case_management", "social_support", "intensive"):
            holders = [n for n, t in self.teams.items() if getattr(t, role)]
            if len(holders) != 1:
                raise ConfigError(
                    f"{path}.teams: exactly one team must have {role}: true "
                    f"(found {len(holders)}: {', '.join(holders) or 'none'})")
        holders = [n for n, t in self.teams.items() if t.assertive_outreach]
        if len(holders) > 1:
            raise ConfigError(f"{path}.teams: at most one team may have assertive_outreach: true")

    def team_with(self, role: str) -> str:
        """The name of the one team that holds ``role`` (validation guarantees exactly one)."""
        return next(n for n, t in self.teams.items() if getattr(t, role))


# -- the care plan: an organisation laid over a catchment, resolved once ------------------------

@dataclass(frozen=True)
class SitePlan:
    """Where one instance of the organisation's teams works, from its ``team_base``
    (:mod:`sim.config.layout`).

    ``name`` None: the one site of a catchment-wide organisation (its teams keep their
    plain names); ``base`` None: the catchment's base of a population without town
    positions (its ``travel_minutes_cluster``)."""
    name: str | None
    label: str
    base: str | None
    covers: tuple[str, ...]
    fte: dict[str, float]
    municipal_share: dict[str, float]


@dataclass(frozen=True)
class PlannedTeam:
    """One team of a care plan: which of the organisation's teams, where it works, whom it
    serves, how far it drives and how its staff are set."""
    name: str            # unique in the plan: the team's key and its site or municipality ("fact:vest")
    kind: str            # the organisation's key of the team ("fact")
    spec: TeamSpec       # its roles and staff (with its site's municipal share of case managers)
    site: str            # where it works, readable (its site's or municipality's label)
    base: str | None     # the municipality it drives from (None: the catchment's base, hand-set driving)
    covers: tuple[str, ...]            # the municipalities whose citizens it serves
    travel_minutes: dict[str, float]   # a home visit's round trip from its base, per municipality covered
    citizens: float      # the expected target group of the municipalities it covers
    fte: float | None    # its whole staff fixed by its site; None: the spec's FTE per 100 citizens covered


@dataclass(frozen=True)
class MunicipalCare:
    """The teams (their names in the care plan) that serve the citizens of one municipality."""
    case_management: str
    social_support: str
    intensive: str
    outreach: str | None   # the team with assertive outreach, if the organisation has one


@dataclass(frozen=True)
class CarePlan:
    """An organisation laid over a catchment, resolved once with the scenario: its teams
    with their sites, staff and driving, and which of them serve each municipality. The
    model builds its teams from this and reads nothing else of the layout or the map."""
    organisation: Organisation
    teams: tuple[PlannedTeam, ...]    # in the order the model builds them and reports them
    care: dict[str, MunicipalCare]    # per municipality of the catchment
    citizens: dict[str, float]        # the expected target group per municipality
    # the municipalities each site serves, by the site's name (its layout's, cluster's or
    # municipality's; ``catchment`` for an organisation with one site over the catchment)
    sites: dict[str, tuple[str, ...]] = field(default_factory=dict)


CATCHMENT = "catchment"   # the one site of an organisation with team_base: catchment


def plan_care(org: Organisation, population: Population, path: str = "organisation") -> CarePlan:
    """Lay ``org`` over ``population``: one instance of each team per site (a team marked
    ``per_municipality`` one per municipality), staffed per 100 citizens of the target
    group it covers unless its site fixes its FTE, driving from its base. Raises
    ConfigError naming the key under ``path`` (``organisation`` or ``baseline``) when the
    layout does not fit the catchment."""
    citizens = {m: spec.target_group for m, spec in population.municipalities.items()}
    case_management, social_support, intensive = (org.team_with(role) for role in
                                                   ("case_management", "social_support", "intensive"))
    outreach = next((kind for kind, t in org.teams.items() if t.assertive_outreach), None)
    teams: list[PlannedTeam] = []
    care: dict[str, MunicipalCare] = {}
    sites: dict[str, tuple[str, ...]] = {}
    for site in plan_sites(org, population, path):
        sites[CATCHMENT if site.name is None else site.name] = site.covers
        travel = {m: population.travel_minutes(site.base, m) for m in site.covers}
        at_site = {}
        for kind, spec in org.teams.items():
            if spec.per_municipality:
                continue
            if kind in site.municipal_share:
                spec = replace(spec, municipal_share=site.municipal_share[kind])
            at_site[kind] = PlannedTeam(kind if site.name is None else f"{kind}:{site.name}", kind, spec,
                                        site.label, site.base, site.covers, travel,
                                        sum(citizens[m] for m in site.covers), site.fte.get(kind))
        teams.extend(at_site.values())
        for m in site.covers:
            local = {kind: PlannedTeam(f"{kind}:{m}", kind, spec, population.municipality_label(m), m, (m,),
                                       {m: population.travel_minutes(m, m)}, citizens[m], None)
                     for kind, spec in org.teams.items() if spec.per_municipality}
            teams.extend(local.values())
            serving = {**at_site, **local}
            care[m] = MunicipalCare(serving[case_management].name, serving[social_support].name,
                                    serving[intensive].name,
                                    None if outreach is None else serving[outreach].name)
    return CarePlan(org, tuple(teams), care, citizens, sites)


def plan_sites(org: Organisation, population: Population, path: str) -> list[SitePlan]:
    """The sites of ``org`` over ``population``; raises ConfigError naming the key under
    ``path`` when the layout does not fit."""
    munis = population.municipalities
    label = population.municipality_label
    if org.team_base == "catchment":
        sites = [SitePlan(None, population.name, population.base, tuple(munis), {}, {})]
    elif org.team_base == "municipality":
        sites = [SitePlan(m, label(m), m, (m,), {}, {}) for m in munis]
    elif org.team_base == "cluster":
        sites = _cluster_sites(population, path)
    else:
        sites = _layout_sites(org, population, path)
    for site in sites:
        for m in site.covers:
            population.check_travel(site.base, m, f"{path}.team_base = {org.team_base}")
    return sites


def _cluster_sites(population: Population, path: str) -> list[SitePlan]:
    if not population.clusters:
        raise ConfigError(f"{path}.team_base = cluster: population '{population.name}' has no "
                          "clusters (population.clusters); allowed here: catchment, municipality, layout")
    members: dict[str, list[str]] = {}
    for m, spec in population.municipalities.items():
        if spec.cluster is None:
            raise ConfigError(f"{path}.team_base = cluster: municipality {m!r} has no cluster "
                              f"(population.municipalities.{m}.cluster)")
        members.setdefault(spec.cluster, []).append(m)
    return [SitePlan(c, population.clusters[c].label, population.clusters[c].base, tuple(ms), {}, {})
            for c, ms in members.items()]


def _layout_sites(org: Organisation, population: Population, path: str) -> list[SitePlan]:
    layout = org.layout
    if layout is None:   # validation pairs team_base: layout with a layout
        raise ConfigError(f"{path}.layout: missing; team_base: layout needs one (layout=<name>)")
    where = f"{path}.layout.sites"
    munis = population.municipalities
    allowed = ", ".join(munis)
    covered_by: dict[str, str] = {}
    sites = []
    for name, site in layout.sites.items():
        if site.base not in munis:
            raise ConfigError(f"{where}.{name}.base = {site.base!r}: not a municipality of the catchment "
                              f"'{population.name}'; allowed: {allowed}")
        if not site.covers:
            raise ConfigError(f"{where}.{name}.covers: a site must cover at least one municipality")
        for m in site.covers:
            if m not in munis:
                raise ConfigError(f"{where}.{name}.covers: {m!r} is not a municipality of the catchment "
                                  f"'{population.name}'; allowed: {allowed}")
            if m in covered_by:
                raise ConfigError(f"{where}.{name}.covers: {m!r} is already covered by site "
                                  f"'{covered_by[m]}'; each municipality by exactly one site")
            covered_by[m] = name
        for key in ("fte", "municipal_share"):
            unknown = sorted(set(getattr(site, key)) - set(org.teams))
            if unknown:
                raise ConfigError(f"{where}.{name}.{key}.{unknown[0]}: no team '{unknown[0]}' in "
                                  f"organisation '{org.name}'; allowed: {', '.join(org.teams)}")
        for team, municipal in site.municipal_share.items():
            org.teams[team].check_municipal_share(municipal, f"{where}.{name}.municipal_share.{team}")
        citizens = sum(munis[m].target_group for m in site.covers)
        staffed_per_100 = [t for t in org.teams if t not in site.fte and not org.teams[t].per_municipality]
        if citizens <= 0 and staffed_per_100:
            raise ConfigError(f"{where}.{name}: team '{staffed_per_100[0]}' would have no staff (no "
                              f"citizens of the target group in {', '.join(site.covers)}, and staff are "
                              f"per 100 citizens); give it staff with {where}.{name}.fte.{staffed_per_100[0]}")
        for team in site.fte:
            if org.teams[team].fte_per_100_total <= 0:
                raise ConfigError(f"{where}.{name}.fte.{team}: team '{team}' has no staff entries "
                                  "with FTE to scale to a fixed number")
        sites.append(SitePlan(name, site.label or name, site.base, tuple(site.covers),
                              dict(site.fte), dict(site.municipal_share)))
    missing = [m for m in munis if m not in covered_by]
    if missing:
        raise ConfigError(f"{where}: municipality {missing[0]!r} is covered by no site; every municipality "
                          f"of '{population.name}' must be covered by exactly one")
    return sites


@dataclass(frozen=True)
class Enrolment:
    """Who a pre/post study enrols at its inclusion date (study/*.yaml).

    A citizen alive at the inclusion date is enrolled if they had at least
    ``min_events`` of ``recent_event`` in the ``lookback_months`` before it (``none``:
    everyone) and, if ``diagnoses`` is not empty, one of those diagnoses.
    """
    recent_event: Literal["none", "crisis", "admission"]
    lookback_months: float = nonneg()
    min_events: int = pos()
    diagnoses: tuple[str, ...] = ()
    dual_diagnosis_only: bool = False


TREND_LIMIT = 0.10   # a calendar trend of at most 10 % a year either way ([kl2022]: stays -2 % a year)


@dataclass(frozen=True)
class CalendarTrend:
    """A change over calendar time that no organisation causes, per year, relative to the
    start of a study's before period: stays ``(1 + los_per_year)^years`` times as long,
    deteriorations (and so crises) ``(1 + crises_per_year)^years`` times as frequent.
    A pre/post comparison contains it, and no counterfactual in the same years removes it."""
    los_per_year: float = 0.0
    crises_per_year: float = 0.0

    def validate(self, path):
        """Each trend in [-TREND_LIMIT, TREND_LIMIT] per year."""
        for key in ("los_per_year", "crises_per_year"):
            v = getattr(self, key)
            if not -TREND_LIMIT <= v <= TREND_LIMIT:
                raise ConfigError(f"{path}.{key} = {v:g}: must be a change per year in "
                                  f"[-{TREND_LIMIT:g}, {TREND_LIMIT:g}] (0: no trend)")

    @property
    def any(self) -> bool:
        """Whether there is a trend at all."""
        return self.los_per_year != 0.0 or self.crises_per_year != 0.0


@dataclass(frozen=True, kw_only=True)
class Study:
    """A pre/post evaluation of the organisation under study ([landheim2020]).

    The catchment is in the baseline organisation until the inclusion date, after
    ``warmup_years`` + ``pre_months``; then the organisation under study takes over
    (in the counterfactual nothing changes). ``moves: catchment``: it takes over the
    whole catchment, staffed as its YAML says, and the enrolled are the citizens the
    evaluation follows. ``moves: enrolled``: only the enrolled move, to teams sized
    per 100 of them; the others stay in the baseline. The run ends ``post_months``
    after inclusion; whole-catchment tables cover the after period.
    """
    name: str
    label: str
    moves: Literal["catchment", "enrolled"]
    pre_months: float = pos()
    post_months: float = pos()
    enrolment: Enrolment
    calendar_trend: CalendarTrend = field(default_factory=CalendarTrend)   # none unless given


@dataclass(frozen=True)
class Distribution:
    """What is not known about one parameter: ``uniform`` (low, high), ``triangular``
    (low, mode, high) or ``point`` (value: the distribution collapsed to one value)."""
    distribution: Literal["uniform", "triangular", "point"]
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    value: float | None = None

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        need = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"), "point": ("value",)}
        for key in need[self.distribution]:
            v = getattr(self, key)
            if v is None:
                raise ConfigError(f"{path}.{key}: required for a {self.distribution} distribution")
            if not math.isfinite(v):
                raise ConfigError(f"{path}.{key} = {v}: must be a finite number")
        if self.distribution != "point" and not self.low < self.high:
            raise ConfigError(f"{path}: low ({self.low:g}) must be below high ({self.high:g})")
        if self.distribution == "triangular" and not self.low <= self.mode <= self.high:
            raise ConfigError(f"{path}.mode = {self.mode:g}: must lie between low and high")

    @property
    def ends(self) -> tuple[float, ...]:
        """The values the distribution can reach at its ends (checked against the model)."""
        if self.distribution == "point":
            return (given(self.value, "value"),)
        return given(self.low, "low"), given(self.high, "high")

    def quantile(self, u: float) -> float:
        """The value at cumulative probability ``u`` (inverse transform sampling)."""
        if self.distribution == "point":
            return given(self.value, "value")
        lo, hi = given(self.low, "low"), given(self.high, "high")
        if self.distribution == "uniform":
            return lo + u * (hi - lo)
        mode = given(self.mode, "mode")
        c = (mode - lo) / (hi - lo)
        if u < c:
            return lo + math.sqrt(u * (hi - lo) * (mode - lo))
        return hi - math.sqrt((1 - u) * (hi - lo) * (hi - mode))


@dataclass(frozen=True)
class Posterior:
    """A calibration's posterior sample (``factsim-calibrate``, [model: calibration]):
    weighted particles, each a joint set of values of ``parameters``. A draw takes one
    whole particle, so the correlations the calibration found are kept."""
    parameters: tuple[str, ...]
    particles: tuple[tuple[float, ...], ...]
    weights: tuple[float, ...]

    def validate(self, path):
        """Every particle has a value per parameter; weights are positive and finite."""
        if not self.parameters or not self.particles:
            raise ConfigError(f"{path}: needs parameters and at least one particle")
        if len(set(self.parameters)) != len(self.parameters):
            raise ConfigError(f"{path}.parameters: a parameter is named twice")
        if len(self.weights) != len(self.particles):
            raise ConfigError(f"{path}.weights: one weight per particle ({len(self.particles)}), "
                              f"got {len(self.weights)}")
        for i, particle in enumerate(self.particles):
            if len(particle) != len(self.parameters):
                raise ConfigError(f"{path}.particles[{i}]: one value per parameter ({len(self.parameters)})")
            if not all(math.isfinite(v) for v in particle):
                raise ConfigError(f"{path}.particles[{i}]: values must be finite numbers")
        if not all(math.isfinite(w) and w > 0 for w in self.weights):
            raise ConfigError(f"{path}.weights: every weight must be a finite number > 0")

    @property
    def ends(self) -> dict[str, tuple[float, float]]:
        """The smallest and largest value of each parameter over the particles."""
        cols = list(zip(*self.particles))
        return {name: (min(col), max(col)) for name, col in zip(self.parameters, cols)}

    def particle(self, u: float) -> dict[str, float]:
        """The particle at cumulative weight ``u`` in [0, 1) (inverse transform sampling)."""
        total = math.fsum(self.weights)
        acc = 0.0
        for particle, w in zip(self.particles, self.weights):
            acc += w / total
            if u < acc:
                return dict(zip(self.parameters, particle))
        return dict(zip(self.parameters, self.particles[-1]))


@dataclass(frozen=True)
class Uncertainty:
    """Parameter uncertainty carried into every comparison (uncertainty/*.yaml).

    ``draws`` parameter sets are drawn from ``parameters``; each runs every organisation
    under common random numbers with the run's replications. ``draws: 0`` is the plain
    run (simulation noise only). ``reduction_pct`` is the threshold of the decision
    probability "bed days fall by at least this much"."""
    name: str
    draws: int = nonneg()
    reduction_pct: float = nonneg()
    parameters: dict[str, Distribution] | None = None
    posterior: Posterior | None = None

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        if self.draws > 0 and not self.parameters and self.posterior is None:
            raise ConfigError(f"{path}.parameters: give at least one parameter with a distribution "
                              "or a posterior (or draws: 0)")
        both = sorted(set(self.parameters or {}) & set(self.posterior.parameters if self.posterior else ()))
        if both:
            raise ConfigError(f"{path}.parameters.{both[0]}: already drawn from the posterior; "
                              "give it one or the other")

    @property
    def names(self) -> tuple[str, ...]:
        """Every uncertain parameter: those with a distribution, then the posterior's."""
        return tuple(self.parameters or {}) + (self.posterior.parameters if self.posterior else ())


# what an objective's term or a constraint may name, besides a metric of the run's results
# (docs/reference/outputs.md): money a year per citizen-year by payer (the payers summed:
# the region, the municipalities together, or both), a share of routine contacts lost, the
# driving hours a week, and the highest value over the organisation's own teams of a team
# metric (``team_max.staff_utilisation``) or of its capacity check (``capacity_max.demand_share``)
COST_PAYERS = ("region", "municipalities", "total")
DERIVED_METRICS = ("contacts_lost_routine_share", "driving_hours_per_week",
                   *(f"cost_per_citizen_year.{p}" for p in COST_PAYERS))
TEAM_METRICS = ("staff_utilisation", "contacts_lost_share", "driving_hours", "staff_fte_regional",
                "staff_fte_municipal", "staff_hours", "scaleups_refused")
CAPACITY_METRICS = ("demand_share", "routine_shortfall", "driving_hours_per_week", "fte")
# the metrics of a run's results table (sim.model.replication; a test checks the list
# against a real run), which an objective's term or a constraint may name
RESULT_METRICS = (
    "admissions", "admissions_per_admitted_citizen_year", "admissions_per_citizen_year", "admissions_waited",
    "admitted_citizen_years", "bed_blocking_days", "bed_blocking_days_per_citizen_year", "bed_days",
    "bed_days_per_citizen_year", "bed_wait_days", "blocking_days_per_blocked_stay", "caseload_per_case_manager",
    "citizen_years", "coercive_admissions", "coercive_admissions_per_citizen_year", "coercive_bed_days",
    "coercive_bed_days_per_citizen_year", "coercive_share_of_admissions", "contacts_asked",
    "contacts_asked_inreach", "contacts_asked_intensive", "contacts_asked_outreach", "contacts_asked_planning",
    "contacts_asked_routine", "contacts_delivered", "contacts_lost", "contacts_lost_inreach",
    "contacts_lost_intensive", "contacts_lost_outreach", "contacts_lost_planning", "contacts_lost_routine",
    "contacts_lost_share", "crises", "crises_averted", "crises_per_citizen_year", "crises_resolved_at_home",
    "days_admitted", "days_deteriorating", "days_disengaged", "days_disengaged_per_citizen_year",
    "days_in_crisis", "days_post_discharge", "days_stable", "deteriorations", "driving_hours", "dropouts",
    "exits", "handover_gap_days", "handovers", "heavy_user_share", "lost_at_handover", "mean_beds_occupied",
    "mean_length_of_stay", "most_admissions_in_a_year", "people_admitted", "reengagements", "scaleups",
    "scaleups_refused", "scaleups_requested", "single_admission_share", "staff_fte_municipal",
    "staff_fte_regional", "staff_hours", "staff_hours_municipal", "staff_hours_per_citizen_year",
    "staff_hours_regional", "staff_utilisation", "stays_with_blocking_share", "teams_per_citizen")
# the cost metrics a run has with unit costs (+costs=...)
COST_METRICS = ("cost_beds", "cost_staff", "cost_total", "cost_per_citizen_year")


def objective_metrics() -> tuple[str, ...]:
    """Every name an objective's term or a constraint may give as its ``metric``."""
    return (RESULT_METRICS + COST_METRICS + DERIVED_METRICS + tuple(f"team_max.{m}" for m in TEAM_METRICS)
            + tuple(f"capacity_max.{m}" for m in CAPACITY_METRICS))


def check_metric(metric: str, path: str) -> None:
    """A metric an objective or a constraint may name; otherwise one line naming the key."""
    known = objective_metrics()
    if metric not in known:
        close = [m for m in known if metric.split(".")[-1] in m or m.split(".")[-1] in metric][:4]
        hint = f"; close: {', '.join(close)}" if close else ""
        raise ConfigError(f"{path} = {metric!r}: unknown metric{hint} (every name: docs/reference/outputs.md, "
                          "'Objective and constraints')")


@dataclass(frozen=True)
class Term:
    """One metric of an objective, with its weight (the objective is the weighted sum)."""
    metric: str        # a metric of the results, a cost by payer, a team's or the capacity check's highest
    weight: float = 1.0   # its weight in the sum (a unit's price, or 1)

    def validate(self, path):
        """The metric is one a run gives; raises ConfigError naming the key."""
        check_metric(self.metric, f"{path}.metric")


@dataclass(frozen=True)
class Constraint:
    """A limit a leader sets: the metric's mean over the replications (and draws) at a
    point must stay at most (or at least) the bound, else the point is infeasible."""
    metric: str        # as a term's metric
    of: Literal["level", "change"] = "level"   # the organisation's own value, or its change against the baseline
    at_most: float | None = None    # the mean must be <= this
    at_least: float | None = None   # the mean must be >= this
    label: str | None = None        # a readable name for the report (English)
    label_da: str | None = None     # the same in Danish

    def validate(self, path):
        """A known metric and exactly one bound; raises ConfigError naming the key."""
        check_metric(self.metric, f"{path}.metric")
        if (self.at_most is None) == (self.at_least is None):
            raise ConfigError(f"{path}: give one bound, at_most or at_least")

    @property
    def bound(self) -> float:
        """The limit, whichever side it is on."""
        return given(self.at_most if self.at_most is not None else self.at_least, "bound")

    def violation(self, value: float) -> float:
        """How far ``value`` breaks the constraint (<= 0: it holds), as Optuna reads a constraint."""
        if math.isnan(value):
            return math.inf
        over = value - self.bound if self.at_most is not None else self.bound - value
        # a value equal to its bound but for rounding (staff as paid: 0 change as -9e-16) holds
        return 0.0 if abs(over) <= 1e-9 * max(1.0, abs(self.bound), abs(value)) else over


@dataclass(frozen=True)
class Objective:
    """What an optimising sweep minimises or maximises, and the limits a point must keep
    (``objective/*.yaml``; none by default). The objective is the weighted sum of its
    terms, each the organisation's value (``of: level``) or its paired change against the
    baseline organisation (``of: change``, under common random numbers), per replication:
    its mean and 95 % interval over the replications (over the parameter draws with
    ``uncertainty``) are a point's result."""
    name: str
    label: str                    # what is optimised, in English (the report's sentence)
    label_da: str                 # the same in Danish
    direction: Literal["minimize", "maximize"]
    of: Literal["level", "change"]
    unit: str                     # the objective's unit, for the sentence (e.g. DKK per citizen-year)
    terms: dict[str, Term]
    constraints: dict[str, Constraint] | None = None
    # changes in % against the baseline at the best options, for the sentence (results metrics)
    report_metrics: tuple[str, ...] = ()

    def validate(self, path):
        """At least one term; the reported metrics are results metrics."""
        if not self.terms:
            raise ConfigError(f"{path}.terms: give at least one metric to optimise")
        for i, m in enumerate(self.report_metrics):
            if m not in RESULT_METRICS + COST_METRICS:
                raise ConfigError(f"{path}.report_metrics[{i}] = {m!r}: not a metric of the results")


# the outcomes a valuation may value (valuation/*.yaml), each by the metric per citizen-year it reads
VALUED_OUTCOMES = {
    "bed_days": "bed_days_per_citizen_year",
    "admissions": "admissions_per_citizen_year",
    "coercive_admissions": "coercive_admissions_per_citizen_year",
    "coercive_bed_days": "coercive_bed_days_per_citizen_year",
    "bed_blocking_days": "bed_blocking_days_per_citizen_year",
    "days_out_of_contact": "days_disengaged_per_citizen_year",
}
# the prices a valuation may draw (valuation.prices), as economy's numeric fields
PRICES = ("bed_day", "coercive_bed_day_extra", "fte_year_regional", "fte_year_municipal",
          "discharge_ready_day_payment")


@dataclass(frozen=True)
class Acceptability:
    """The acceptability curve's axis: the value of one unit of ``outcome`` avoided, from
    ``low`` to ``high`` in ``steps`` evenly spaced values."""
    outcome: str
    low: float = nonneg()
    high: float = pos()
    steps: int = pos()

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        if self.outcome not in VALUED_OUTCOMES:
            raise ConfigError(f"{path}.outcome = {self.outcome!r}: unknown outcome; allowed: "
                              f"{', '.join(VALUED_OUTCOMES)}")
        if not self.low < self.high:
            raise ConfigError(f"{path}: low ({self.low:g}) must be below high ({self.high:g})")
        if self.steps < 2:
            raise ConfigError(f"{path}.steps = {self.steps}: must be at least 2")


@dataclass(frozen=True, kw_only=True)
class Valuation:
    """What a decision values, and what an evaluation could learn (valuation/*.yaml).

    Net benefit per citizen-year is minus the valued outcomes minus the costs of every
    payer (``economy``); each organisation's is compared with the others' in every
    parameter draw. ``groups`` name the uncertain parameters whose value of information
    is reported together; ``region_citizens`` and ``horizon_years`` scale it from one
    citizen-year to the region over the years a decision holds."""
    name: str
    currency: str
    # the value of one unit of an outcome avoided, per unit, on top of what it costs the
    # payers (the costs count that already); 0 counts the outcome as money only
    outcomes: dict[str, float] = nonneg()
    acceptability: Acceptability
    # named groups of uncertain parameters (dotted names: clinical.*, economy.*, ...)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # prices (economy.<price>) drawn anew in every parameter draw: they change no simulation
    prices: dict[str, Distribution] | None = None
    region_citizens: float = pos()      # the citizens the decision concerns (the region's target group)
    horizon_years: float = pos()        # the years a decision holds before it is taken again
    discount_rate: float = share()      # a year's discount of later years' value

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        for name in self.outcomes:
            if name not in VALUED_OUTCOMES:
                raise ConfigError(f"{path}.outcomes.{name}: unknown outcome; allowed: {', '.join(VALUED_OUTCOMES)}")
        if self.acceptability.outcome not in self.outcomes:
            raise ConfigError(f"{path}.acceptability.outcome = {self.acceptability.outcome!r}: not valued in "
                              f"{path}.outcomes (give it a value there; 0 counts it as money only)")
        for name in self.prices or {}:
            head, _, price = name.partition(".")
            if head != "economy" or price not in PRICES:
                raise ConfigError(f"{path}.prices.{name}: not a price; allowed: "
                                  f"{', '.join(f'economy.{p}' for p in PRICES)} (draw a model parameter "
                                  "in uncertainty.parameters)")
        for group, names in self.groups.items():
            if not names:
                raise ConfigError(f"{path}.groups.{group}: name at least one parameter")

    @property
    def population_years(self) -> float:
        """Citizen-years the decision concerns: the region's citizens over the horizon,
        each later year discounted (``region_citizens`` x the discounted years)."""
        whole = int(self.horizon_years)
        years = sum((1 + self.discount_rate) ** -t for t in range(whole))
        years += (self.horizon_years - whole) * (1 + self.discount_rate) ** -whole
        return self.region_citizens * years


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """Everything one run needs: run settings, catchment, clinical strengths, organisations.

    On construction (validation, or ``dataclasses.replace``) each organisation is laid
    over the catchment once, into the care plan the model reads (:meth:`care_plan`)."""
    seed: int = nonneg()
    replications: int = pos()
    warmup_years: float = nonneg()
    results_years: float = pos()
    n_jobs: int = 1
    event_log: bool = True
    progress: bool = True
    plots: bool = True     # the run's own plots (false: tables only; a report draws its own)
    population: Population
    clinical: Clinical
    organisation: Organisation
    baseline: Organisation | None = None
    costs: Costs | None = None
    economy: Economy | None = None     # money by payer and the overload threshold (the outputs' reading)
    study: Study | None = None
    uncertainty: Uncertainty | None = None
    objective: Objective | None = None   # what an optimising sweep optimises, and its constraints
    valuation: Valuation | None = None   # net benefit and the value of information (with parameter draws)
    rollout: Rollout | None = None       # the organisation's teams start site by site (a projection by year)
    # each organisation's care plan, by name: resolved from the fields above, never a key of YAML
    care_plans: dict[str, CarePlan] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Lay each organisation over the catchment (a layout that does not fit raises
        ConfigError naming the key)."""
        plans = {org.name: plan_care(org, self.population, where)
                 for where, org in (("baseline", self.baseline), ("organisation", self.organisation))
                 if org is not None}
        object.__setattr__(self, "care_plans", plans)

    def care_plan(self, org: Organisation) -> CarePlan:
        """``org`` laid over the catchment: the plan resolved with the scenario for one of its
        own organisations, resolved now for any other (a variant a test or a tool makes)."""
        plan = self.care_plans.get(org.name)
        if plan is not None and plan.organisation == org:
            return plan
        return plan_care(org, self.population)

    def validate(self, path):
        """Checks across fields that the types alone cannot express; raises ConfigError naming the key."""
        if self.n_jobs == 0 or self.n_jobs < -1:
            raise ConfigError(f"n_jobs = {self.n_jobs}: must be -1 (all cores) or a whole number >= 1")
        missing = set(self.population.diagnoses) - set(self.clinical.diagnosis_hazard_ratio)
        if missing:
            raise ConfigError(f"clinical.diagnosis_hazard_ratio: no ratio for diagnosis "
                              f"'{sorted(missing)[0]}' of population.diagnoses")
        if self.baseline is not None and self.baseline.name == self.organisation.name:
            raise ConfigError(f"baseline.name = {self.baseline.name!r}: the baseline must differ "
                              "from the organisation under study (set a different name)")
        if self.objective is not None and self.replications < 2:
            raise ConfigError(f"replications = {self.replications}: an objective needs at least 2 "
                              "replications for its interval")
        if self.objective is not None and self.baseline is None and (
                self.objective.of == "change"
                or any(c.of == "change" for c in (self.objective.constraints or {}).values())):
            raise ConfigError("objective.of: a change against the baseline needs a baseline organisation "
                              "(organisation@baseline=...)")
        if self.objective is not None:
            self._check_objective_prices(self.objective)
        v, e = self.valuation, self.economy
        if v is not None and e is not None and v.currency != e.currency:
            raise ConfigError(f"valuation.currency = {v.currency!r}: must be the economy's currency "
                              f"({e.currency!r}), so outcomes and costs add up")
        if self.rollout is not None:
            self._check_rollout(self.rollout)
        if self.study is not None:
            if self.baseline is None:
                raise ConfigError("study: a pre/post study needs a baseline organisation "
                                  "(organisation@baseline=...) for the before period")
            unknown = set(self.study.enrolment.diagnoses) - set(self.population.diagnoses)
            if unknown:
                raise ConfigError(f"study.enrolment.diagnoses: unknown diagnosis '{sorted(unknown)[0]}'; "
                                  f"allowed: {', '.join(self.population.diagnoses)}")
            history = self.warmup_years * 12 + self.study.pre_months
            if self.study.enrolment.lookback_months > history:
                raise ConfigError(f"study.enrolment.lookback_months = {self.study.enrolment.lookback_months:g}: "
                                  f"must be at most warmup_years x 12 + study.pre_months = {history:g}")

    def _check_rollout(self, rollout: Rollout) -> None:
        """A roll-out starts from the baseline and fits the organisation's sites and the run."""
        if self.baseline is None:
            raise ConfigError("rollout: a roll-out needs a baseline organisation that serves every "
                              "site before its start (organisation@baseline=...)")
        if self.study is not None:
            raise ConfigError("rollout: a roll-out and a pre/post study cannot run together "
                              "(the roll-out's own evaluation designs include a pre/post; drop study=...)")
        sites = tuple(self.care_plan(self.organisation).sites)
        rollout.check_fits(sites, tuple(self.organisation.teams), self.warmup_years)
        for team, values in rollout.team_fidelity.items():
            spec = self.organisation.teams.get(team)
            if spec is None:
                raise ConfigError(f"rollout.team_fidelity.{team}: no team '{team}' in organisation "
                                  f"'{self.organisation.name}'; allowed: {', '.join(self.organisation.teams)}")
            for name in values:
                if getattr(spec, name) is None:
                    raise ConfigError(f"rollout.team_fidelity.{team}.{name}: team '{team}' has no {name} to ramp")

    def _check_objective_prices(self, objective: Objective) -> None:
        """Money needs prices: the economy for a cost by payer, unit costs for the cost metrics."""
        named = [(f"objective.terms.{k}.metric", t.metric) for k, t in objective.terms.items()]
        named += [(f"objective.constraints.{k}.metric", c.metric) for k, c in (objective.constraints or {}).items()]
        for key, metric in named:
            if metric.startswith("cost_per_citizen_year.") and self.economy is None:
                raise ConfigError(f"{key} = {metric!r}: money by payer needs an economy (economy=dkk)")
            if metric in COST_METRICS and self.costs is None:
                raise ConfigError(f"{key} = {metric!r}: needs unit costs (+costs=dkk_assumed)")

    @property
    def inclusion_day(self) -> float | None:
        """The study's inclusion date, in days from the start of the run (None without a study)."""
        if self.study is None:
            return None
        return self.warmup_years * DAYS_PER_YEAR + self.study.pre_months * DAYS_PER_MONTH

    @property
    def trend_start(self) -> float | None:
        """The day from which a study's calendar trend is counted (the start of its before
        period); None without a trend."""
        study = self.study
        if study is None or not study.calendar_trend.any:
            return None
        inclusion = self.warmup_years * DAYS_PER_YEAR + study.pre_months * DAYS_PER_MONTH
        return inclusion - study.pre_months * DAYS_PER_MONTH

    @property
    def window(self) -> tuple[float, float]:
        """The results period in days: after warm-up, or a study's after period."""
        start = self.warmup_years * DAYS_PER_YEAR
        if self.rollout is not None:   # the projection's calendar years
            return start, start + self.rollout.projection_days()
        if self.study is not None:
            start += self.study.pre_months * DAYS_PER_MONTH
            return start, start + self.study.post_months * DAYS_PER_MONTH
        return start, start + self.results_years * DAYS_PER_YEAR

    @property
    def organisations(self) -> tuple[Organisation, ...]:
        """Baseline first (the comparator), then the organisation under study."""
        return tuple(o for o in (self.baseline, self.organisation) if o is not None)

    def labels(self, lang: str = "en") -> dict[str, str]:
        """Organisation name -> its label, in Danish (``da``) or English."""
        return {o.name: (o.label_da if lang == "da" else o.label) for o in self.organisations}


def build_scenario(data) -> Scenario:
    """Validate a plain mapping (sources already split off) into a :class:`Scenario`."""
    return build(Scenario, data)
