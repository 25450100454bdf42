"""The preflight checks every point of a sweep as its job will run: each point's
configuration is the one Hydra composes, values that are wrong only together are refused,
and a sweep too large to be meant is refused before anything runs."""
from __future__ import annotations

import pytest
from hydra import compose, initialize_config_dir
from hypothesis import given, settings
from hypothesis import strategies as st
from omegaconf import OmegaConf

from sim.config import preflight
from sim.config.errors import ConfigError
from sim.config.paths import SCENARIOS

FOLDERS = [SCENARIOS]


@pytest.fixture
def points():
    with initialize_config_dir(config_dir=str(SCENARIOS), version_base="1.3"):
        yield preflight.Points("config", [], FOLDERS, compose)


def composed(point: list[str]) -> dict:
    return OmegaConf.to_container(compose("config", overrides=point), resolve=True)


def plain(config) -> dict:
    return config if isinstance(config, dict) else OmegaConf.to_container(config, resolve=True)


@pytest.mark.parametrize("point", [
    [],
    ["organisation.teams.fact.caseload=20", "clinical.los_shape=2"],
    ["organisation=fact_regional", "organisation@baseline=coordinated", "population.beds=12"],
    ["+clinical.extra_note=5"],
    ["~organisation.teams.fact.label_da"],
    ["organisation.teams.fact.pulled_back_share={municipal: 0.3}"],
    ["organisation.teams.fact.label_da=null", "seed=7"],
    ["study=norway_prepost", "study.enrolment.diagnoses=[psychosis]"],
    ["uncertainty=ranges", "uncertainty.draws=4"],
], ids=lambda p: " ".join(p)[:50] or "defaults")
def test_a_point_is_the_configuration_hydra_composes(points, point):
    assert plain(points.config(point)) == composed(point)


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(1, 60), share=st.floats(0, 1), beds=st.integers(0, 40),
       org=st.sampled_from(["fact_crosssector", "fact_dutch", "coordinated"]))
def test_any_point_of_a_typical_sweep_is_what_hydra_composes(seed, share, beds, org):
    point = [f"organisation={org}", f"population.beds={beds}", f"seed={seed}",
             f"clinical.crisis_averted_prob={share}"]
    with initialize_config_dir(config_dir=str(SCENARIOS), version_base="1.3"):
        assert plain(preflight.Points("config", [], FOLDERS, compose).config(point)) == composed(point)


@pytest.mark.parametrize("point, hydra_says", [
    (["clinical.nosuch=1"], "unknown key"),
    (["+clinical.los_shape=2"], "already"),
    (["~clinical.nosuch"], "does not exist"),
])
def test_an_override_hydra_refuses_is_refused_with_hydras_reason(points, point, hydra_says):
    with pytest.raises(ConfigError, match=hydra_says):
        points.config(point)


def test_values_wrong_only_together_are_refused_however_large_the_sweep():
    # warm-up 0.5 years with a 36-month look-back is impossible (6 + 24 < 36); each value
    # alone is fine, and the one bad combination comes last among 1,004 points
    argv = ["-m", "study=norway_prepost", "warmup_years=3,0.5", "study.enrolment.lookback_months=12,36",
            "seed=range(1,252)"]
    assert preflight.check([*argv[:3], "study.enrolment.lookback_months=12", "seed=1"], SCENARIOS) == 2
    assert preflight.check([argv[0], argv[1], "warmup_years=3", argv[3], "seed=1"], SCENARIOS) == 2
    with pytest.raises(ConfigError, match=r"lookback_months = 36: must be at most .* = 30"):
        preflight.check(argv, SCENARIOS)


def test_a_sweep_of_more_points_than_anyone_means_is_refused_before_it_is_checked():
    with pytest.raises(ConfigError, match=r"a sweep of 1,000,000 points \(1000 x 1000\); at most 100,000"):
        preflight.sweep_points(["seed=range(0,1000)", "replications=range(1,1001)"])


@pytest.mark.parametrize("group", ["economy", "valuation", "study"])
def test_a_config_group_set_to_null_is_refused_with_how_to_leave_it_out(group):
    with pytest.raises(ConfigError, match=rf"^{group}=null: a config group is left out with ~{group} "):
        preflight.check([f"{group}=null"], SCENARIOS)
