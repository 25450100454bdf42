"""The terminal's headline table: a share's change in percentage points, a rate's in per cent."""
from __future__ import annotations

import pandas as pd

from sim.output.run_folder import terminal_table


def _tables(metric: str, base: float, org: float, lo: float, hi: float):
    summary = pd.DataFrame([
        {"organisation": o, "metric": metric, "mean": m, "ci_lower": m, "ci_upper": m}
        for o, m in (("fragmented", base), ("fact", org))])
    diff = org - base
    comparison = pd.DataFrame([{
        "metric": metric, "organisation": "fact", "baseline": "fragmented", "n": 20,
        "baseline_mean": base, "organisation_mean": org, "difference": diff,
        "difference_ci_lower": lo, "difference_ci_upper": hi,
        "change_pct": 100 * diff / base, "change_pct_ci_lower": 100 * lo / base,
        "change_pct_ci_upper": 100 * hi / base}])
    return summary, comparison


def test_a_share_near_zero_changes_in_points_not_thousands_of_per_cent():
    text = terminal_table(*_tables("contacts_lost_share", 1e-6, 4.2e-5, -3e-5, 1.1e-4), {})
    line = next(x for x in text.splitlines() if x.startswith("Contacts lost"))
    assert "+0.0 pp (-0.0 to +0.0)" in line and " %" not in line
    text = terminal_table(*_tables("staff_utilisation", 0.68, 0.76, 0.079, 0.083), {})
    assert "+8.0 pp (+7.9 to +8.3)" in text


def test_a_rate_changes_in_per_cent():
    text = terminal_table(*_tables("bed_days_per_citizen_year", 20.0, 15.0, -5.5, -4.5), {})
    assert "-25 % (-28 to -22)" in text
