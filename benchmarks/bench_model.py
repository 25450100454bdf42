"""How fast is one replication, and how much does the model add to bare SimPy?

    make bench            # or: python benchmarks/bench_model.py [--repeat 3]

For the default study (Silkeborg-sized, 1 + 5 years) and a region-sized
population (about 3,000 citizens, 10 years), times one replication of each
organisation, counts the citizens' state transitions from the event log, and in
the same run times a bare SimPy loop with the same number of processes making the
same number of transitions (one exponential draw and one timeout each). Prints
events per second and the ratio model / bare loop. Figures, not a test.
"""
from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np
import simpy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hydra import compose, initialize_config_dir  # noqa: E402

from sim.config.load import load  # noqa: E402
from sim.experiments.simulate import simulate  # noqa: E402

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
CASES = {
    "default (silkeborg, 1+5 y)": [],
    "region (3,000 citizens, 10 y)": ["population=region", "warmup_years=0", "results_years=10"],
}


def scenario(overrides):
    with initialize_config_dir(config_dir=str(SCENARIOS), version_base="1.3"):
        cfg = compose("config", overrides=list(overrides) + ["event_log=true"])
    return load(cfg)[0]


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="timings per case; the best is kept")
    args = ap.parse_args()
    print(f"python {platform.python_version()}, simpy {simpy.__version__}, {platform.machine()}")
    print(f"{'case':32s} {'organisation':18s} {'citizens':>8s} {'transitions':>11s} "
          f"{'model s':>8s} {'events/s':>10s} {'bare s':>7s} {'bare ev/s':>10s} {'ratio':>6s}")
    for label, overrides in CASES.items():
        sc = scenario(overrides)
        for org in sc.organisations:
            best, result = np.inf, None
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                result = simulate(sc, org, 0)
                best = min(best, time.perf_counter() - t0)
            transitions = len(result.events)
            citizens = len(result.citizens)
            days = (sc.warmup_years + sc.results_years) * 365.0
            mean_gap = days * citizens / max(transitions, 1)
            bare = min(bare_loop(citizens, transitions, mean_gap) for _ in range(args.repeat))
            print(f"{label:32s} {org.name:18s} {citizens:8d} {transitions:11d} {best:8.2f} "
                  f"{transitions / best:10.0f} {bare:7.3f} {transitions / bare:10.0f} "
                  f"{best / bare:6.1f}")


if __name__ == "__main__":
    main()
