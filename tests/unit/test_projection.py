"""The roll-out's outputs: the projection's tables read into the report's section, the fan
chart drawn from them, and the designs' citable sentences in English and Danish."""
from __future__ import annotations

import pandas as pd

from sim.experiments.evaluation import summarise_designs
from sim.output.numbers import day
from sim.output.projection import differences, first_clear_year, sentences

from ..experiments.test_evaluation import summary_rows


def test_the_sentences_are_citable_in_english_and_danish():
    summary = summarise_designs(summary_rows())
    en, da = sentences(summary, "en"), sentences(summary, "da")
    assert len(en) == len(da) == 2
    assert en[1] == ("With 4 years of follow-up, a stepped-wedge comparison of 7 sites estimates a bed-day "
                     "ratio of 0.85 against a true 0.82 (bias +0.03, spread 0.05) and finds an effect at the "
                     "5 % level in 67 % of 3 replications.")
    assert "sengedagsforhold på 0,85 mod et sandt 0,82 (skævhed +0,03, spredning 0,05)" in da[1]
    assert da[0].startswith("Med 4 års opfølgning estimerer en før/efter-sammenligning")
    one = summary.assign(sites=1)
    assert "at 1 site estimates" in sentences(one, "en")[0] and "på 1 sted " in sentences(one, "da")[0]


def projection_rows() -> pd.DataFrame:
    rows = []
    for draw, effect in enumerate((-10.0, -30.0)):
        for year, started in ((2025, 0.0), (2026, 1.0)):
            for arm, value in (("plan", 100.0 + started * effect), ("no_rollout", 100.0)):
                rows.append({"draw": draw, "replication": 0, "arm": arm, "year": year, "area": "region",
                             "metric": "bed_days", "value": value})
    return pd.DataFrame(rows)


def test_the_differences_are_the_plan_minus_no_roll_out_per_draw_and_year():
    d = differences(projection_rows(), "bed_days").set_index(["unit", "year"])["difference"]
    assert d[(0, 2025)] == 0.0 and d[(0, 2026)] == -10.0 and d[(1, 2026)] == -30.0


def test_the_first_clear_year_is_the_first_whose_interval_lies_below_zero():
    summary = pd.DataFrame({"year": [2025, 2026, 2027], "area": "region", "metric": "bed_days",
                            "difference_upper": [5.0, -1.0, -3.0]})
    assert first_clear_year(summary).year == 2026
    assert first_clear_year(summary.assign(difference_upper=1.0)) is None


def test_a_start_date_is_written_as_each_language_writes_it():
    assert day("2025-08-01", "da") == "1. august 2025"
    assert day("2026-01-15", "en") == "15 January 2026"
