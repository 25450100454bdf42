"""Config handling: every shipped scenario composes, validates and carries its sources."""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.config.errors import ConfigError
from sim.config.load import load
from sim.config.params import Clinical, Scenario
from sim.config.validate import build

from ..conftest import SCENARIOS, compose_cfg

ORGS = sorted(p.stem for p in (SCENARIOS / "organisation").glob("*.yaml"))
POPS = sorted(p.stem for p in (SCENARIOS / "population").glob("*.yaml"))


@pytest.mark.parametrize("org", ORGS)
@pytest.mark.parametrize("pop", POPS)
def test_every_shipped_scenario_validates_with_full_provenance(org, pop):
    baseline = "coordinated" if org == "fragmented" else "fragmented"
    sc, prov = load(compose_cfg(f"organisation={org}", f"organisation@baseline={baseline}",
                                f"population={pop}"))
    assert isinstance(sc, Scenario)
    assert sc.organisation.name == org and sc.baseline.name == baseline
    assert prov, "no provenance rows"
    assert all(row["source"].strip() for row in prov), "a parameter without a source"
    keys = {row["parameter"] for row in prov}
    assert "clinical.deterioration_rate_per_year" in keys
    assert any(k.startswith("population.") for k in keys)


def test_the_baseline_and_organisation_must_differ():
    with pytest.raises(ConfigError, match="baseline"):
        load(compose_cfg("organisation=fragmented"))


def test_scenario_is_frozen():
    sc, _ = load(compose_cfg())
    with pytest.raises(dataclasses.FrozenInstanceError):
        sc.seed = 3  # type: ignore[misc]


@pytest.mark.parametrize("override, key, allowed", [
    ("clinical.deterioration_rate_per_year=-1", "clinical.deterioration_rate_per_year", ">= 0"),
    ("clinical.crisis_averted_prob=1.3", "clinical.crisis_averted_prob", "[0, 1]"),
    ("clinical.admission_prob.none=-0.1", "clinical.admission_prob.none", "[0, 1]"),
    ("population.beds=-4", "population.beds", "> 0"),
    ("+clinical.deterioration_rat=1", "clinical.deterioration_rat", "allowed keys"),
    ("replications=0", "replications", ""),
    ("organisation.teams.fact.staff.psychiatrist.sector=county", "sector", "regional"),
])
def test_bad_values_name_the_key_and_what_is_allowed(override, key, allowed):
    with pytest.raises(ConfigError) as err:
        load(compose_cfg(override))
    assert key in str(err.value)
    assert allowed in str(err.value)
    assert "\n" not in str(err.value)


def test_a_parameter_without_a_source_is_refused():
    from omegaconf import open_dict
    cfg = compose_cfg()
    with open_dict(cfg):
        del cfg.clinical.sources["los_shape"]
    with pytest.raises(ConfigError, match="los_shape"):
        load(cfg)


def _clinical_dict() -> dict:
    cfg = compose_cfg()
    from omegaconf import OmegaConf
    data = OmegaConf.to_container(cfg.clinical, resolve=True)
    data.pop("sources")
    return data


CLINICAL = _clinical_dict()
PROB_KEYS = [f.name for f in dataclasses.fields(Clinical)
             if f.metadata.get("check") == "prob" and isinstance(CLINICAL[f.name], float)]


@settings(max_examples=60, deadline=None)
@given(key=st.sampled_from(PROB_KEYS), value=st.floats(allow_nan=False, allow_infinity=False))
def test_probabilities_are_accepted_exactly_in_unit_interval(key, value):
    data = dict(CLINICAL, **{key: value})
    if 0.0 <= value <= 1.0:
        assert getattr(build(Clinical, data, "clinical"), key) == value
    else:
        with pytest.raises(ConfigError, match=f"clinical.{key}"):
            build(Clinical, data, "clinical")


@settings(max_examples=60, deadline=None)
@given(name=st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=20))
def test_unknown_keys_are_refused_by_name(name):
    data = dict(CLINICAL)
    if name in data:
        return
    data[name] = 1.0
    with pytest.raises(ConfigError, match=f"unknown key 'clinical.{name}'"):
        build(Clinical, data, "clinical")


@settings(max_examples=40, deadline=None)
@given(key=st.sampled_from(sorted(CLINICAL)))
def test_missing_keys_are_refused_by_name(key):
    data = {k: v for k, v in CLINICAL.items() if k != key}
    with pytest.raises(ConfigError, match=f"clinical.{key}"):
        build(Clinical, data, "clinical")


@settings(max_examples=40, deadline=None)
@given(value=st.one_of(st.text(max_size=5), st.lists(st.integers(), max_size=2), st.booleans()))
def test_wrong_types_are_refused(value):
    data = dict(CLINICAL, contact_minutes=value)
    with pytest.raises(ConfigError, match="clinical.contact_minutes"):
        build(Clinical, data, "clinical")


@settings(max_examples=40, deadline=None)
@given(caseload=st.floats(5, 60), share=st.floats(0, 1))
def test_caseload_and_municipal_share_resize_the_case_managers(caseload, share):
    sc, _ = load(compose_cfg(f"organisation.teams.fact.caseload={caseload}",
                             f"organisation.teams.fact.municipal_share={share}"))
    staffing = sc.organisation.teams["fact"].staffing
    managers = [m for m in staffing.values() if m.case_manager]
    total = sum(m.fte_per_100 for m in managers)
    municipal = sum(m.fte_per_100 for m in managers if m.sector == "municipal")
    assert total == pytest.approx(100.0 / caseload)
    assert municipal == pytest.approx(share * total, abs=1e-9)
    others = {k: m for k, m in staffing.items() if not m.case_manager}
    assert others == {k: m for k, m in sc.organisation.teams["fact"].staff.items() if not m.case_manager}


def test_a_municipal_share_needs_a_municipal_case_manager():
    with pytest.raises(ConfigError, match="municipal_share"):
        load(compose_cfg("organisation=fact_regional", "organisation.teams.fact.municipal_share=0.5"))


def test_costs_are_optional_and_validated():
    assert load(compose_cfg())[0].costs is None
    sc, prov = load(compose_cfg("+costs=dkk_assumed"))
    assert sc.costs.currency == "DKK" and any(r["parameter"] == "costs.bed_day" for r in prov)
    with pytest.raises(ConfigError, match="costs.bed_day"):
        load(compose_cfg("+costs=dkk_assumed", "costs.bed_day=-1"))


@pytest.mark.parametrize("missing, key", [
    ("~population", "population"), ("~clinical.course", "clinical.course"),
    ("~organisation.teams", "organisation.teams"), ("~organisation.teams.fact.staff", "organisation.teams.fact.staff"),
])
def test_a_required_section_left_out_is_refused_by_name(missing, key):
    """Required sections have no default (not even None): leaving one out names it."""
    with pytest.raises(ConfigError, match=f"missing key '{key}'"):
        load(compose_cfg(missing))


def test_a_value_validation_sets_is_refused_by_name_when_it_was_never_validated():
    from sim.config.params import Distribution, Municipality

    with pytest.raises(ValueError, match="adults is not set"):
        Municipality(residents=1000).target_group   # noqa: B018 (the property is the test)
    assert Municipality(adults=2000, target_per_1000_adults=3.0).target_group == 6.0
    with pytest.raises(ValueError, match="mode is not set"):
        Distribution("triangular", low=0.0, high=1.0).quantile(0.5)
    assert Distribution("triangular", low=0.0, mode=0.5, high=1.0).quantile(0.5) == 0.5
