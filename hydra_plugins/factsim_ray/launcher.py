"""Hydra's launcher for factsim sweeps on Ray (``hydra/launcher=ray``): Ray's own task API.

Hydra finds launchers only in the ``hydra_plugins`` namespace, so the class lives here;
the work is done by :mod:`sim.apps.ray_jobs`. It replaces the unmaintained
hydra-ray-launcher, which injected ``object_store_memory`` (refused by an existing
cluster), let workers write job folders in their own working directory, and pinned
cloudpickle below 3 and Python to 3.11.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hydra.core.utils import JobReturn
from hydra.plugins.launcher import Launcher
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig


class FactsimRayLauncher(Launcher):
    """Run every job of a sweep as a Ray task; the driver writes the job folders.

    ``address``: an existing cluster (``auto``, ``host:6379`` or ``ray://host:10001``),
    or null for a Ray instance on this machine; ``num_cpus``: cores a job takes;
    ``init``: further keyword arguments of ``ray.init`` (for a local instance only).
    """

    def __init__(self, address: str | None = None, num_cpus: float = 1, init: Any = None) -> None:
        self.address, self.num_cpus, self.init = address, num_cpus, init
        self.config: DictConfig | None = None
        self.hydra_context: HydraContext | None = None
        self.task_function: TaskFunction | None = None

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig) -> None:
        """Keep what each job needs (Hydra calls this once, before launch)."""
        self.config, self.hydra_context, self.task_function = config, hydra_context, task_function

    def launch(self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> Sequence[JobReturn]:
        """Run the jobs on Ray and write each one's folder under the sweep folder."""
        from sim.apps import ray_jobs

        assert self.config is not None and self.hydra_context is not None and self.task_function is not None
        return ray_jobs.launch(self, job_overrides, initial_job_idx)
