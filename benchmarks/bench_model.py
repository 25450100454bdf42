"""How fast is one replication, and how much does the model add to bare SimPy?

    make bench            # or: python benchmarks/bench_model.py [--repeat 3]

For the default study (Silkeborg-sized, 1 + 5 years) and Region
Midtjylland (about 3,400 citizens in 19 municipalities, teams per cluster, 10 years), times one replication of each
organisation, counts the citizens' state transitions from the event log, and in
the same run times a bare SimPy loop with the same number of processes making the
same number of transitions (one exponential draw and one timeout each). Prints
events per second and the ratio model / bare loop. The three are timed in turn, round
after round, and the best of each is kept: at least ``--repeat`` rounds and at least
``--min-seconds`` of the model's time, so that the short default case gets enough rounds
for its best timing to be a steady one.

The model makes more SimPy events than it logs transitions (a citizen waits, a bed is
handed on, the daily sample); a second bare loop with exactly the model's count of
SimPy events (counted in an untimed run) gives SimPy's own floor for the run, and
"simpy share" is that floor over the model's time: the most a faster core that keeps
SimPy could remove is the rest.

Then the tools: simulations per second of the default calibration's simulator (every
target set's design, its replications) and of the default sensitivity analysis's
sample points, on one core, at parameter values drawn from their ranges.

The core timed is named first: pure Python, or the compiled core if ``make native``
built a fresh one (``FACTSIM_CORE=python make bench`` times pure Python whatever is built).

Then how cost grows with the population: one catchment of 200, 1,000, 3,000 and
10,000 citizens (unlimited beds, fragmented care, 1 + 4 years), with the event log on
and off: seconds per 1,000 citizen-years (the sizes timed in turn, round after round,
the best of each kept); beside it, a bare SimPy loop making the model's own count of
SimPy events with as many processes (SimPy's heap grows with the population, so its
cost per event does too) and what the model adds to it per 1,000 citizen-years; and
peak memory (tracemalloc, in a further run so that it does
not slow the timed ones); last, how far each size's seconds per citizen-year lie from
their mean over the sizes, with the log on and off. Figures, not a test.
"""
from __future__ import annotations

import argparse
import gc
import platform
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import simpy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hydra import compose, initialize_config_dir  # noqa: E402

from sim.config.load import load  # noqa: E402
from sim.config.units import DAYS_PER_YEAR  # noqa: E402
from sim.experiments.simulate import simulate  # noqa: E402
from sim.model import CORE  # noqa: E402

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
CASES = {
    "default (silkeborg, 1+5 y)": [],
    "region (Midtjylland, 3,400 citizens, 10 y)": ["population=midtjylland", "layout=per_cluster",
                                                    "layout@baseline=per_cluster", "warmup_years=0",
                                                    "results_years=10"],
}


def scenario(overrides, event_log: bool = True):
    with initialize_config_dir(config_dir=str(SCENARIOS), version_base="1.3"):
        cfg = compose("config", overrides=list(overrides) + [f"event_log={str(event_log).lower()}"])
    return load(cfg)[0]


def run_days(sc) -> float:
    """Days a replication simulates: warm-up and results window."""
    return (sc.warmup_years + sc.results_years) * DAYS_PER_YEAR


def simpy_events(sc, org) -> int:
    """How many events SimPy processes in one replication (an untimed run)."""
    count = [0]
    step = simpy.Environment.step

    def counting(env):
        count[0] += 1
        return step(env)

    simpy.Environment.step = counting
    try:
        simulate(sc, org, 0)
    finally:
        simpy.Environment.step = step
    return count[0]


def tools(points: int) -> None:
    """Simulations per second of the calibration's and the sensitivity's simulators."""
    from sim.research import calibrate, sensitivity

    settings, _ = calibrate.compose_settings([])
    designs = calibrate.simulator(settings, calibrate.base_configs(settings))
    rng = np.random.default_rng(1)
    values = [{n: rng.uniform(p.low, p.high) for n, p in settings.priors.parameters.items()}
              for _ in range(points + 1)]
    designs.statistics(values[0])   # imports and caches warm
    t0 = time.process_time()
    for v in values[1:]:
        designs.statistics(v)
    cal = points / (time.process_time() - t0)
    s_settings, _ = sensitivity.compose_settings([])
    comparison = sensitivity.Comparison(sensitivity.base_config(s_settings), s_settings)
    rows = [np.array([rng.uniform(r.low, r.high) for r in s_settings.parameters.values()])
            for _ in range(points + 1)]
    comparison(rows[0])
    t0 = time.process_time()
    for row in rows[1:]:
        comparison(row)
    sens = points / (time.process_time() - t0)
    print(f"\ncalibration (default: {len(settings.targets)} target sets, "
          f"{settings.replications_per_simulation} replications): {cal:.2f} simulations/s on one core")
    print(f"sensitivity (default: {s_settings.replications} replications of both organisations): "
          f"{sens:.2f} sample points/s on one core")


def bare_loop(processes: int, transitions: int, mean_days: float, seed: int = 1) -> float:
    """Seconds for ``processes`` SimPy processes to make ``transitions`` timeouts in all."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    left = [transitions]

    def proc():
        while left[0] > 0:
            left[0] -= 1
            yield env.timeout(rng.exponential(mean_days))

    for _ in range(processes):
        env.process(proc())
    start = time.perf_counter()
    env.run()
    return time.perf_counter() - start


SIZES = (200, 1000, 3000, 10000)
# the default catchment has 74,000 adults and 2.7 citizens of the target group per 1,000
SCALING = ["population.beds=null", "warmup_years=1", "results_years=4",
           "population.municipalities.silkeborg.target_per_1000_adults=2.7",
           "~organisation@baseline", "organisation=fragmented"]


def scaling(repeat: int) -> None:
    """Seconds per 1,000 citizen-years by population size. The sizes are timed in turn,
    round after round (the best of each kept), so that a drift in the machine's speed
    touches every size alike rather than the last ones."""
    cases = []
    for size in SIZES:
        adults = round(size / 2.7 * 1000)
        for log in (True, False):
            sc = scenario(SCALING + [f"population.municipalities.silkeborg.adults={adults}"],
                          event_log=log)
            result = simulate(sc, sc.organisation, 0)   # untimed: the citizen-years, warm caches
            cy = result.metrics["citizen_years"] * (sc.warmup_years + sc.results_years) / sc.results_years
            days = run_days(sc)
            # SimPy's own share at this size: the model's count of SimPy events in a bare loop
            loop = (len(result.citizens), simpy_events(sc, sc.organisation), days)
            del result
            cases.append((size, log, sc, cy, loop))
    best = [np.inf] * len(cases)
    floor = [np.inf] * len(cases)
    for r in range(repeat):
        print(f"  population sizes, round {r + 1} of {repeat}", flush=True)
        for k, (_, _, sc, _, (processes, events, days)) in enumerate(cases):
            gc.collect()
            t0 = time.perf_counter()
            simulate(sc, sc.organisation, 0)
            best[k] = min(best[k], time.perf_counter() - t0)
            floor[k] = min(floor[k], bare_loop(processes, events, days * processes / events))
    print(f"\n{'citizens':>8s} {'event log':>9s} {'citizen-years':>13s} {'s':>7s} "
          f"{'s per 1,000 c-y':>15s} {'simpy s':>8s} {'model - simpy per 1,000 c-y':>27s} {'peak MiB':>9s}")
    for k, (size, log, sc, cy, _) in enumerate(cases):
        gc.collect()
        tracemalloc.start()
        simulate(sc, sc.organisation, 0)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"{size:8d} {'on' if log else 'off':>9s} {cy:13.0f} {best[k]:7.2f} "
              f"{best[k] / cy * 1000:15.3f} {floor[k]:8.3f} {(best[k] - floor[k]) / cy * 1000:27.3f} "
              f"{peak:9.1f}", flush=True)
    # the goal: seconds per citizen-year within +-20 % of their mean over the sizes
    for log in (True, False):
        per = np.array([best[k] / cy for k, (_, on, _, cy, _) in enumerate(cases) if on == log])
        low, high = per.min() / per.mean() - 1.0, per.max() / per.mean() - 1.0
        print(f"event log {'on' if log else 'off'}: seconds per citizen-year from {low:+.0%} to {high:+.0%} "
              f"of their mean over the sizes")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="timings per case; the best is kept")
    ap.add_argument("--min-seconds", type=float, default=4.0,
                    help="rounds continue until the model's timings of a case add up to this")
    ap.add_argument("--no-scaling", action="store_true", help="skip the population-size cases")
    ap.add_argument("--no-cases", action="store_true", help="skip the default and region cases")
    ap.add_argument("--tool-points", type=int, default=6,
                    help="parameter points timed for the calibration and sensitivity (0: skip)")
    args = ap.parse_args()
    print(f"python {platform.python_version()}, simpy {simpy.__version__}, numpy {np.__version__}, "
          f"{platform.machine()}")
    print(f"core: {CORE.describe()}")
    print(f"{'case':32s} {'organisation':18s} {'citizens':>8s} {'transitions':>11s} "
          f"{'model s':>8s} {'events/s':>10s} {'bare s':>7s} {'bare ev/s':>10s} {'ratio':>6s} "
          f"{'simpy events':>12s} {'simpy s':>8s} {'simpy share':>11s} {'rounds':>6s}")
    for label, overrides in ({} if args.no_cases else CASES).items():
        sc = scenario(overrides)
        for org in sc.organisations:
            # what the loops must match: the run's transitions and SimPy events (untimed runs)
            result = simulate(sc, org, 0)
            transitions = len(result.events)
            citizens = len(result.citizens)
            days = run_days(sc)
            mean_gap = days * citizens / max(transitions, 1)
            events = simpy_events(sc, org)
            del result
            # the model and the loops timed in turn, so that a drift in the machine's speed
            # touches all three alike; the best of each is kept, of at least --repeat rounds
            # and of at least --min-seconds of the model's time (a short case gets more rounds:
            # the best of three timings of a few hundredths of a second is mostly noise)
            best = bare = floor = np.inf
            rounds, spent = 0, 0.0
            while rounds < args.repeat or spent < args.min_seconds:
                gc.collect()
                t0 = time.perf_counter()
                simulate(sc, org, 0)
                took = time.perf_counter() - t0
                best, spent, rounds = min(best, took), spent + took, rounds + 1
                bare = min(bare, bare_loop(citizens, transitions, mean_gap))
                floor = min(floor, bare_loop(citizens, events, days * citizens / events))
            print(f"{label:32s} {org.name:18s} {citizens:8d} {transitions:11d} {best:8.2f} "
                  f"{transitions / best:10.0f} {bare:7.3f} {transitions / bare:10.0f} "
                  f"{best / bare:6.1f} {events:12d} {floor:8.3f} {floor / best:11.0%} {rounds:6d}", flush=True)
    if args.tool_points > 0:
        tools(args.tool_points)
    if not args.no_scaling:
        scaling(args.repeat)


if __name__ == "__main__":
    main()
