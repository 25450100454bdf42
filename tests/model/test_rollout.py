"""A roll-out in one replication: sites start on their dates, staff build up and are lent,
citizens move, fidelity matures; and the levers a planner pulls move the outcome the
way a credible model must (a later start acts later, a ramp that stays short acts less)."""
from __future__ import annotations

import numpy as np
import pytest

from sim.config.units import DAYS_PER_MONTH, DAYS_PER_YEAR
from sim.experiments.simulate import simulate
from sim.model.replication import Model

from ..conftest import scenario

# the default catchment (Silkeborg, one site) from 2025 to 2027 after a warm-up year
PLAN = ("rollout=silkeborg", "rollout.last_year=2027", "warmup_years=1", "replications=1")
AT_ONCE = ("rollout.sites.catchment.released_weeks=0", "rollout.sites.catchment.enrolment=at_once",
           "rollout.sites.catchment.staff.start=1", "rollout.sites.catchment.staff.months=0",
           "rollout.sites.catchment.maturity.start=1", "rollout.sites.catchment.maturity.months=0")
REPS = range(6)


def plan_arm(*overrides: str) -> Model:
    sc = scenario(*PLAN, *overrides)
    return Model(sc, sc.care_plan(sc.baseline), 0, rollout=sc.care_plan(sc.organisation))


def bed_days(*overrides: str, years: tuple[int, ...] | None = None) -> float:
    """The plan arm's bed days over REPS (in ``years`` of the projection, or all)."""
    sc = scenario(*PLAN, *overrides)
    total = 0.0
    for rep in REPS:
        arm = simulate(sc, sc.organisation, rep)
        p = arm.projection
        p = p[(p.area == "region") & (p.metric == "bed_days")]
        total += float(p[p.year.isin(years)].value.sum() if years else p.value.sum())
    return total


def test_every_team_started_on_the_first_day_gives_the_steady_state_comparison():
    """Started on day 0 at full strength, the plan is the organisation itself: its bed days
    per citizen-year lie within noise of the steady-state run of the same seed, and far
    from the baseline's."""
    started = scenario(*PLAN, *AT_ONCE, "rollout.sites.catchment.start=2024-01-02")
    steady = scenario("warmup_years=1", "results_years=3")
    assert started.window == steady.window
    metric = "bed_days_per_citizen_year"
    plan = np.mean([simulate(started, started.organisation, r, tables=False).metrics[metric] for r in REPS])
    org = np.mean([simulate(steady, steady.organisation, r, tables=False).metrics[metric] for r in REPS])
    base = np.mean([simulate(steady, steady.baseline, r, tables=False).metrics[metric] for r in REPS])
    assert abs(plan / org - 1) < 0.05
    assert abs(plan / base - 1) > 3 * abs(plan / org - 1)


def test_a_later_start_moves_the_change_later():
    early = bed_days(*AT_ONCE, "rollout.sites.catchment.start=2025-01-01", years=(2025,))
    late = bed_days(*AT_ONCE, "rollout.sites.catchment.start=2026-07-01", years=(2025,))
    never = sum(float(p.value.sum()) for p in (
        _none_arm(rep) for rep in REPS))
    assert early < late                      # in 2025 only the early plan has started
    assert late == pytest.approx(never, rel=0.02)   # before its start a plan is no roll-out


def _none_arm(rep: int):
    sc = scenario(*PLAN, *AT_ONCE)
    p = simulate(sc, sc.baseline, rep).projection
    return p[(p.area == "region") & (p.metric == "bed_days") & (p.year == 2025)]


def test_a_ramp_that_never_reaches_full_strength_gives_a_smaller_effect():
    start = "rollout.sites.catchment.start=2025-01-01"
    full = bed_days(*AT_ONCE, start, "rollout.sites.catchment.staff.start=0.3",
                    "rollout.sites.catchment.staff.months=6")
    short = bed_days(*AT_ONCE, start, "rollout.sites.catchment.staff.start=0.3",
                     "rollout.sites.catchment.staff.end=0.3", "rollout.sites.catchment.staff.months=6")
    assert full < short


def test_fidelity_that_never_matures_gives_a_smaller_effect():
    start = "rollout.sites.catchment.start=2025-01-01"
    matures = bed_days(*AT_ONCE, start, "rollout.sites.catchment.maturity.start=0")
    stays = bed_days(*AT_ONCE, start, "rollout.sites.catchment.maturity.start=0",
                     "rollout.sites.catchment.maturity.end=0")
    assert matures < stays


def test_gradual_enrolment_has_moved_every_citizen_by_the_end_of_the_intake():
    m = plan_arm()
    site = m.rollout.sites[0]
    spec = site.site
    m.env.run(until=site.start + 0.5 * spec.intake_months * DAYS_PER_MONTH)
    moved = [c.net is site.network for c in m.census.citizens.values()]
    assert 0 < sum(moved) < len(moved)   # halfway, some have moved and some not
    m.env.run(until=site.start + spec.intake_months * DAYS_PER_MONTH + 1)
    assert all(c.net is site.network for c in m.census.citizens.values())


def test_staff_are_paid_before_the_start_without_giving_care_then_lent_as_citizens_move():
    m = plan_arm()
    site = m.rollout.sites[0]
    team = site.network.teams[0]
    released = site.start - site.site.released_days
    m.env.run(until=released - 1)
    assert sum(team.fte_by_sector.values()) == 0.0
    m.env.run(until=released + 1)
    assert sum(team.fte_by_sector.values()) > 0 and team.capacity == 0.0
    before = {t.name: sum(t.fte_by_sector.values()) for t in m.network.teams}
    assert all(v > 0 for v in before.values())
    m.env.run(until=site.start + 1)
    assert team.capacity > 0
    assert all(sum(t.fte_by_sector.values()) == before[t.name] for t in m.network.teams)   # nobody moved yet
    # halfway through the intake the catchment-wide baseline teams have lent about half their staff
    m.env.run(until=site.start + 6 * DAYS_PER_MONTH + 1)
    moved = np.mean([c.net is site.network for c in m.census.citizens.values() if c.entered < site.start])
    for t in m.network.teams:
        left = sum(t.fte_by_sector.values()) / before[t.name]
        assert 0.3 < left < 0.7 and left == pytest.approx(1 - moved, abs=0.15)
    m.env.run(until=site.start + 13 * DAYS_PER_MONTH)
    assert all(sum(t.fte_by_sector.values()) == pytest.approx(0.0) for t in m.network.teams)


def test_every_team_started_at_once_takes_the_baseline_staff_with_its_citizens():
    m = plan_arm(*AT_ONCE)
    site = m.rollout.sites[0]
    m.env.run(until=site.start + 1)
    assert all(c.net is site.network for c in m.census.citizens.values())
    assert all(sum(t.fte_by_sector.values()) == pytest.approx(0.0) for t in m.network.teams)


def test_fidelity_matures_from_the_plans_start_values_to_the_organisations_own():
    m = plan_arm()
    site = m.rollout.sites[0]
    full = site.full_org
    m.env.run(until=site.start + 1)
    assert site.network.org.cross_sector_info_prob == pytest.approx(0.5)
    assert site.network.teams[0].spec.board_delay_mean_days == pytest.approx(7.0)
    m.env.run(until=site.start + 6 * DAYS_PER_MONTH + 1)
    halfway = site.network.org.cross_sector_info_prob
    assert halfway == pytest.approx(0.5 + 0.5 * (full.cross_sector_info_prob - 0.5))
    assert all(c.org is site.network.org for c in m.census.citizens.values() if c.net is site.network)
    m.env.run(until=site.start + 12 * DAYS_PER_MONTH + 1)
    assert site.network.org == full


def test_the_same_seed_gives_the_same_roll_out():
    sc = scenario(*PLAN)
    a, b = (simulate(sc, sc.organisation, 2) for _ in range(2))
    assert a.metrics == b.metrics and a.projection.equals(b.projection)


def test_the_projection_covers_the_calendar_years_of_the_plan():
    sc = scenario(*PLAN)
    p = simulate(sc, sc.organisation, 0).projection
    assert sorted(p.year.unique()) == [2025, 2026, 2027]
    assert sc.window == (DAYS_PER_YEAR, DAYS_PER_YEAR + 3 * 365)
    leap = scenario(*PLAN, "rollout.last_year=2028")   # 2028 has 366 days
    assert leap.window[1] - leap.window[0] == 4 * 365 + 1
