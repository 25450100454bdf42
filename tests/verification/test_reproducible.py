"""Same seed and config give identical tables, in series and in parallel, and every
organisation meets the same citizens (common random numbers)."""
from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from sim.experiments.runner import run_study

from ..conftest import scenario


@pytest.fixture(scope="module")
def serial():
    return run_study(scenario(), progress=False, n_jobs=1)


def test_same_seed_same_tables_in_series(serial):
    again = run_study(scenario(), progress=False, n_jobs=1)
    for name in ("results", "events", "timeseries", "citizens"):
        assert_frame_equal(getattr(serial, name), getattr(again, name), check_exact=True)


def test_same_seed_same_tables_in_parallel(serial):
    parallel = run_study(scenario(), progress=False, n_jobs=2)
    for name in ("results", "events", "timeseries", "citizens"):
        assert_frame_equal(getattr(serial, name), getattr(parallel, name), check_exact=True)


def test_another_seed_gives_other_results(serial):
    other = run_study(scenario("seed=1"), progress=False, n_jobs=1)
    assert not serial.results["value"].equals(other.results["value"])


def _citizens(study, org):
    c = study.citizens
    return c[c.organisation == org].drop(columns="organisation").reset_index(drop=True)


def test_every_organisation_meets_the_same_citizens(serial):
    a, b = (_citizens(serial, o) for o in ("fragmented", "fact_crosssector"))
    assert len(a) > 100
    assert_frame_equal(a, b, check_exact=True)


def test_changing_the_organisation_leaves_the_citizens_draws_unchanged(serial):
    other = run_study(scenario("organisation=fact_regional", "organisation@baseline=coordinated"),
                      progress=False, n_jobs=1)
    assert_frame_equal(_citizens(serial, "fragmented"), _citizens(other, "fact_regional"),
                       check_exact=True)
    assert_frame_equal(_citizens(serial, "fragmented"), _citizens(other, "coordinated"),
                       check_exact=True)
    # ... while what happens to them differs
    r = other.results.pivot_table(index=["organisation", "replication"], columns="metric",
                                  values="value")
    assert r.loc["fact_regional"]["bed_days"].ne(r.loc["coordinated"]["bed_days"]).any()


def test_replications_are_independent(serial):
    """Different replications draw different citizens."""
    c = serial.citizens
    first = c[(c.organisation == "fragmented") & (c.replication == 0)].severity.to_numpy()
    second = c[(c.organisation == "fragmented") & (c.replication == 1)].severity.to_numpy()
    n = min(len(first), len(second))
    assert not (first[:n] == second[:n]).all()
    assert isinstance(serial.results, pd.DataFrame)


def test_metrics_only_runs_give_the_same_metrics_and_study_counts():
    """A calibration's simulations skip the frames (``tables=False``); what they keep is
    the full run's, to the bit, in a side-by-side and in a pre/post study."""
    from sim.experiments.simulate import simulate

    for sc in (scenario(), scenario("study=norway_prepost", "event_log=false")):
        full, lean = simulate(sc, sc.organisation, 1), simulate(sc, sc.organisation, 1, tables=False)
        assert lean.metrics == full.metrics
        assert lean.timeseries is None and lean.citizens is None and lean.teams is None
        if sc.study is not None:
            assert_frame_equal(lean.prepost, full.prepost, check_exact=True)
