"""Recorder: counts and durations over the results period only, checked by hand."""
from __future__ import annotations

import pytest

from sim.config.units import DAYS_PER_YEAR
from sim.model.recorder import Recorder, merged


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


def test_a_weighted_span_adds_its_overlap_times_the_weight():
    rec = Recorder(10.0, 20.0)
    rec.span("citizen_days", 8.0, 14.0, weight=0.5)   # 4 days inside, half each
    rec.span("citizen_days", 12.0, 12.0, weight=3.0)   # empty
    assert rec.totals["citizen_days"] == 2.0


def test_admissions_count_per_whole_year_of_the_window():
    """A window of 2.5 years has two whole years; the half year after them, and anything
    before the window, is not a year of the distribution."""
    start = 100.0
    rec = Recorder(start, start + 2.5 * DAYS_PER_YEAR)
    assert rec.whole_years == 2
    for t in (start, start + 10.0, start + 1.5 * DAYS_PER_YEAR, start + 2.2 * DAYS_PER_YEAR, start - 1.0):
        rec.admission(7, t)
    rec.admission(8, start + DAYS_PER_YEAR - 1e-9)
    assert dict(rec.admissions_in_year) == {(7, 0): 2, (7, 1): 1, (8, 0): 1}


def test_teams_seen_count_only_inside_the_window():
    rec = Recorder(10.0, 20.0)
    rec.seen_by(1, "fact", 9.9)
    rec.seen_by(2, "fact", 10.0)
    rec.seen_by(2, "acute", 15.0)
    rec.seen_by(2, "fact", 16.0)
    assert dict(rec.teams_seen) == {2: {"fact", "acute"}}


def test_merged_recorders_add_totals_join_citizens_and_keep_stays_in_order():
    a, b = Recorder(0.0, 2 * DAYS_PER_YEAR), Recorder(0.0, 2 * DAYS_PER_YEAR)
    a.count("admissions", 1.0, 2.0)
    b.count("admissions", 1.0, 3.0)
    a.people_admitted |= {1, 2}
    b.people_admitted |= {2, 3}
    a.seen_by(1, "fact", 1.0)
    b.seen_by(1, "acute", 1.0)
    a.stays.append((1.0, 5.0, 0.0))
    b.stays.append((2.0, 7.0, 1.0))
    a.admission(1, 1.0)
    b.admission(1, 2.0)
    out = merged([a, b])
    assert out.totals["admissions"] == 5.0
    assert out.people_admitted == {1, 2, 3}
    assert dict(out.teams_seen) == {1: {"fact", "acute"}}
    assert out.stays == [(1.0, 5.0, 0.0), (2.0, 7.0, 1.0)]
    assert dict(out.admissions_in_year) == {(1, 0): 2}
    assert a.totals["admissions"] == 2.0   # the parts are left as they were


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


def test_a_misspelt_total_fails_instead_of_reading_as_zero():
    rec = Recorder(0.0, 10.0)
    with pytest.raises(KeyError):
        rec.count("admisions", 1.0)
    with pytest.raises(KeyError):
        rec.span("bed_day", 0.0, 1.0)
