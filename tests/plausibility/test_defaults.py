"""The shipped defaults against what is known of real services: a long tail of heavy
users, teams whose staff can carry the contacts they promise, plausible stays."""
from __future__ import annotations

import numpy as np
import pytest

from sim.experiments.runner import capacity_table, run_study
from sim.experiments.simulate import simulate

from ..conftest import scenario

ORGANISATIONS = ("fragmented", "fact_regional", "fact_crosssector", "fact_dutch", "coordinated")
# each shipped catchment with a layout its teams fit in (the region: a team of its own for a
# municipality of about 150 citizens or more, small ones sharing; one team per cluster
# does not fit the wide Vest cluster, see the capacity test below)
CATCHMENTS = (("silkeborg",), ("horsens_klyngen",), ("midtjylland", "layout=midtjylland_shared"))
# a team that misses more than one routine contact in fifty does not deliver the contact
# pattern its YAML promises; below that, misses are the board's random peaks
MAX_LOST_SHARE = 0.02


@pytest.fixture(scope="module")
def fragmented_20():
    sc = scenario("replications=20", "warmup_years=1", "results_years=5", "n_jobs=2",
                  "~organisation@baseline", "organisation=fragmented", quick=False)
    return run_study(sc, progress=False).results.pivot_table(
        index="replication", columns="metric", values="value")


def test_a_long_tail_of_heavy_users(fragmented_20):
    """[dk2015]: 4.8 % of admitted patients have 5 or more admissions in a year in all
    Danish psychiatry; the target group should have such a tail (at least 2 %), with
    someone above 8 admissions in a year somewhere in 20 replications."""
    m = fragmented_20
    pooled = (m.heavy_user_share * m.admitted_citizen_years).sum() / m.admitted_citizen_years.sum()
    assert pooled >= 0.02
    assert m.most_admissions_in_a_year.max() > 8
    assert 1.3 <= (m.admissions_per_admitted_citizen_year.mean()) <= 3.5


def test_stays_are_danish_length_and_bed_blocking_is_a_minor_share(fragmented_20):
    """[kl2022], [kl2021]: mean stays of 15.5-23 days; bed-blocking well under a fifth of bed days."""
    m = fragmented_20
    assert 15.5 <= m.mean_length_of_stay.mean() <= 23.0
    assert (m.bed_blocking_days / m.bed_days).mean() < 0.2
    assert 0.5 <= m.admissions_per_citizen_year.mean() <= 1.1   # see the known miss below


@pytest.mark.xfail(strict=True, reason="a known miss of the shipped calibration: about 0.99 admissions per "
                   "citizen-year against the Danish 0.6-0.9, the price of the Norwegian 'admissions unchanged' "
                   "(docs/researchers.md, 'What it found'); a calibration that meets both makes this pass "
                   "and must remove the mark")
def test_admissions_are_at_the_danish_level(fragmented_20):
    """[kl2021]: 0.6-0.9 admissions per citizen-year in the target group (dk_baseline)."""
    assert 0.6 <= fragmented_20.admissions_per_citizen_year.mean() <= 0.9


@pytest.mark.parametrize("catchment", CATCHMENTS, ids=lambda c: c[0])
def test_every_shipped_organisation_keeps_its_routine_contacts(catchment):
    name, *layout = catchment
    short = ["replications=1", "warmup_years=0.5", "results_years=1"] if name == "midtjylland" else \
        ["replications=2", "warmup_years=0.5", "results_years=2"]
    for org_name in ORGANISATIONS:
        sc = scenario(f"population={name}", f"organisation={org_name}", "~organisation@baseline",
                      "event_log=false", *layout, *short, quick=False)
        lost = [simulate(sc, sc.organisation, rep).metrics["contacts_lost_share"]
                for rep in range(sc.replications)]
        assert np.mean(lost) <= MAX_LOST_SHARE, (org_name, catchment, lost)


def test_the_capacity_check_says_when_staffing_cannot_carry_the_contacts():
    ok = capacity_table(scenario())
    assert (ok.warning == "").all() and (ok.demand_share <= 1.0).all()
    thin = capacity_table(scenario("organisation.teams.fact.staff.municipal_case_manager.fte_per_100=1.0"))
    fact = thin[(thin.organisation == "fact_crosssector") & (thin.team == "fact")].iloc[0]
    assert fact.routine_shortfall > 0.1 and "routine contacts" in fact.warning
    # hand check: capacity = FTE x 37 h x (1 - 0.1 pulled back) x 0.6 direct
    assert fact.capacity_hours_per_week == pytest.approx(
        (0.4 + 3.4 + 1.0) * fact.citizens / 100 * 37 * 0.9 * 0.6)


def test_one_fact_team_for_the_wide_vest_cluster_cannot_carry_its_home_visits():
    """A planner's finding the capacity check must make: from Herning, home visits to Lemvig
    and Struer take so long that one cross-sectoral team for the Vest cluster loses routine
    contacts, where teams shared by neighbours do not."""
    wide = capacity_table(scenario("population=midtjylland", "layout=per_cluster"))
    vest = wide[wide.team == "fact:vest"].iloc[0]
    assert vest.routine_shortfall > 0.05 and "fact:vest" in vest.warning
    shared = capacity_table(scenario("population=midtjylland", "layout=midtjylland_shared"))
    assert (shared[shared.organisation == "fact_crosssector"].warning == "").all()
