"""Hydra's sweeper for factsim's optimising sweeps (``hydra/sweeper=optuna``): Optuna 5.

Hydra finds sweepers only in the ``hydra_plugins`` namespace, so the class lives here;
the study is run by :mod:`sim.apps.optimise`. It replaces ``hydra-optuna-sweeper``
1.3, which pins ``optuna<3`` (no constraints in TPE, no current releases), knows nothing
of factsim's objective tables and replications, and reads the objective only from a
job's return value (lost for a job kept from an interrupted sweep).
"""
from __future__ import annotations

from typing import Any

from hydra.plugins.sweeper import Sweeper
from hydra.types import HydraContext, TaskFunction
from omegaconf import DictConfig


class FactsimOptunaSweeper(Sweeper):
    """Ask Optuna for points, run each as a job of the configured launcher, tell it the
    job's objective and constraints; resumable from the study's storage.

    ``sampler``: ``tpe`` or ``random``; ``seed``: the sampler's seed; ``n_trials``: trials
    in the study; ``n_jobs``: trials run at once; ``startup_trials``: TPE's random start;
    ``storage``: an Optuna storage URL (null: ``<sweep dir>/study.db``); ``study_name``;
    ``params``: levers, as overrides' values by key.
    """

    def __init__(self, sampler: str = "tpe", seed: int = 1, n_trials: int = 40, n_jobs: int = 2,
                 startup_trials: int = 10, storage: str | None = None, study_name: str = "factsim",
                 params: Any = None) -> None:
        self.sampler, self.seed, self.n_trials, self.n_jobs = sampler, seed, n_trials, n_jobs
        self.startup_trials, self.storage, self.study_name = startup_trials, storage, study_name
        self.params = dict(params or {})
        self.config: DictConfig | None = None
        self.hydra_context: HydraContext | None = None
        self.launcher: Any = None

    def setup(self, *, hydra_context: HydraContext, task_function: TaskFunction, config: DictConfig) -> None:
        """Keep the configuration and make the launcher (Hydra calls this once)."""
        from hydra.core.plugins import Plugins

        self.config, self.hydra_context = config, hydra_context
        self.launcher = Plugins.instance().instantiate_launcher(
            hydra_context=hydra_context, task_function=task_function, config=config)

    def sweep(self, arguments: list[str]) -> Any:
        """Run the study (new or resumed); write its trials table, plots and sentences."""
        from sim.apps import optimise

        assert self.config is not None and self.hydra_context is not None
        return optimise.run(self, arguments)
