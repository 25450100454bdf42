"""The plot drawer: plots drawn in worker processes are the files drawn here, a failed
plot fails the run, and nothing is drawn when plots are off."""
from __future__ import annotations

import os

import pandas as pd
import pytest

from sim.output.drawing import PlotDrawer


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{text} {os.getpid()}")


def _fail(path):
    raise ValueError("no such metric: bed_dayz")


def test_plots_drawn_in_workers_are_the_plots_drawn_here(tmp_path):
    """A real matplotlib figure from the run's tables: the same bytes either way, and a
    worker's plot is drawn in another process."""
    summary = pd.DataFrame({"organisation": ["fragmented", "fact_crosssector"], "metric": "bed_days",
                            "mean": [20.0, 14.0], "ci_lower": [19.0, 13.0], "ci_upper": [21.0, 15.0]})
    labels = {"fragmented": "Fragmented", "fact_crosssector": "FACT"}

    def plot(path):
        from sim.output import plots
        plots.comparison(summary, labels, path, panels=[("bed_days", "Bed days", "days")], title="t")

    here, there = PlotDrawer(tmp_path / "a", n_jobs=1), PlotDrawer(tmp_path / "b", n_jobs=2)
    assert here(plot, "x.png") == there(plot, "x.png") == ["plots/x.png"]
    there(lambda p: _write(p, "pid"), "pid.txt")
    there.wait()
    assert (tmp_path / "a/plots/x.png").read_bytes() == (tmp_path / "b/plots/x.png").read_bytes()
    assert (tmp_path / "b/plots/pid.txt").read_text() != f"pid {os.getpid()}"


def test_a_plot_that_fails_in_a_worker_fails_the_run(tmp_path):
    draw = PlotDrawer(tmp_path, n_jobs=2)
    draw(lambda p: _write(p, "fine"), "fine.txt")
    draw(_fail, "bad.png")
    with pytest.raises(ValueError, match="bed_dayz"):
        draw.wait()
    draw.wait()   # nothing left to wait for


def test_abandon_waits_for_plots_being_drawn_and_ignores_their_errors(tmp_path):
    draw = PlotDrawer(tmp_path, n_jobs=2)
    draw(_fail, "bad.png")
    draw(lambda p: _write(p, "late"), "late.txt")
    draw.abandon()
    assert draw._pending == []
    # a plot either ran to its end before abandon returned, or never started
    late = tmp_path / "plots" / "late.txt"
    assert not late.exists() or late.read_text().startswith("late")


def test_nothing_is_drawn_when_plots_are_off(tmp_path):
    draw = PlotDrawer(tmp_path, enabled=False, n_jobs=2)
    assert draw(_fail, "bad.png") == []
    draw.wait()
    assert not (tmp_path / "plots").exists()


def test_a_plot_draws_what_it_saw_when_it_was_asked_for(tmp_path):
    """A closure handed to a worker draws the values its names held at the call, even
    when the caller rebinds a name right after (as a run reuses a variable)."""
    draw = PlotDrawer(tmp_path, n_jobs=2)
    shown = "the changes"
    draw(lambda p: _write(p, shown), "changes.txt")
    shown = "the pre/post ratios"
    draw(lambda p: _write(p, shown), "ratios.txt")
    draw.wait()
    assert (tmp_path / "plots/changes.txt").read_text().startswith("the changes ")
    assert (tmp_path / "plots/ratios.txt").read_text().startswith("the pre/post ratios ")


def test_a_large_tables_csv_written_by_a_worker_is_the_csv_written_here(tmp_path):
    """write_table hands the CSV of a large table to the run's workers: the same bytes as
    written here, the Parquet file beside it, and written even when plots are off."""
    from sim.output.run_folder import write_table

    df = pd.DataFrame({"replication": [0, 0, 1], "day": [0, 1, 0], "value": [0.1, 1 / 3, 2.5e-9],
                       "team": pd.array(["a", "b", None], dtype="string")})
    here = write_table(df, tmp_path / "a", "t")
    writer = PlotDrawer(tmp_path / "b", enabled=False, n_jobs=2)
    there = write_table(df, tmp_path / "b", "t", writer=writer)
    writer.wait()
    assert here == there == ["t.parquet", "t.csv"]
    assert (tmp_path / "a/t.csv").read_bytes() == (tmp_path / "b/t.csv").read_bytes()
    assert pd.read_parquet(tmp_path / "b/t.parquet").equals(pd.read_parquet(tmp_path / "a/t.parquet"))


def test_a_csv_a_worker_cannot_write_fails_the_run_and_leaves_no_file(tmp_path):
    from sim.output.run_folder import write_table

    (tmp_path / "t.csv").mkdir()   # a folder where the file should go: the rename fails
    writer = PlotDrawer(tmp_path, n_jobs=2)
    write_table(pd.DataFrame({"x": [1]}), tmp_path, "t", writer=writer)
    with pytest.raises(OSError, match="t.csv"):
        writer.wait()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _pid(_=None):
    return os.getpid()


def test_the_replications_workers_still_work_after_a_run_drew_its_plots(tmp_path):
    """A process that runs twice (the workshop) gets joblib's workers back for its second
    run: the drawer's pool is its own and is shut down when the run's files are written
    (asking loky's shared pool for other settings broke joblib's next run)."""
    from joblib import Parallel, delayed

    first = set(Parallel(n_jobs=2)(delayed(_pid)() for _ in range(4)))
    draw = PlotDrawer(tmp_path, n_jobs=2)
    draw(lambda p: _write(p, "plot"), "plot.txt")
    draw.wait()
    assert draw._executor is None
    again = set(Parallel(n_jobs=2)(delayed(_pid)() for _ in range(4)))
    assert again and os.getpid() not in again | first
