"""Sweeps on Ray: each job runs as a Ray task and returns its files to the driver.

No shared file system is assumed. A worker runs the job in a temporary folder of its
own machine, exactly as the local launcher runs it, and returns every file it wrote
(tables, plots, config, manifest, Hydra's record of the job) as bytes; the driver
writes them under ``hydra.sweep.dir`` on its own machine (each file under a temporary
name, renamed into place, the manifest last), so the merge sees every job. A job whose
folder on the driver already holds a finished run of the same configuration and
overrides is kept and not sent again, as with the local launcher.

Results are the same as on local cores: a job's numbers depend only on its
configuration and seed (one generator per activity from ``SeedSequence(seed)``).
"""
from __future__ import annotations

import copy
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra.core.hydra_config import HydraConfig
from hydra.core.singleton import Singleton
from hydra.core.utils import JobReturn, JobStatus, configure_log, filter_overrides, run_job, setup_globals
from omegaconf import DictConfig, OmegaConf, open_dict, read_write

from sim.output.files import replacing
from sim.output.run_folder import MANIFEST, already_finished

log = logging.getLogger(__name__)


def start(address: str | None, init: Any) -> None:
    """Connect to the cluster at ``address``, or start Ray on this machine (``init``:
    ``ray.init``'s keyword arguments, for a local instance only: an existing cluster
    refuses resource settings from a driver)."""
    if address:
        # Ray 2.5x clusters require a token by default (ray start writes ~/.ray/auth_token);
        # a driver with a token but no mode set fails to authenticate, so say token mode
        # (read when Ray is imported: before the import)
        has_token = os.environ.get("RAY_AUTH_TOKEN") or (Path.home() / ".ray" / "auth_token").is_file()
        if has_token and "RAY_AUTH_MODE" not in os.environ:
            os.environ["RAY_AUTH_MODE"] = "token"
    import ray

    if ray.is_initialized():
        return
    if address:
        ray.init(address=address, log_to_driver=True)
    else:
        settings = OmegaConf.to_container(init, resolve=True) if isinstance(init, DictConfig) else init
        kwargs: dict[str, Any] = {str(k): v for k, v in settings.items()} if isinstance(settings, dict) else {}
        ray.init(**kwargs)


def launch(launcher, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> list[JobReturn]:
    """Run ``job_overrides`` as Ray tasks; write each job's folder on the driver."""
    setup_globals()
    config = launcher.config
    configure_log(config.hydra.hydra_logging, config.hydra.verbose)
    sweep_dir = Path(str(config.hydra.sweep.dir))
    sweep_dir.mkdir(parents=True, exist_ok=True)
    start(launcher.address, launcher.init)
    import ray

    remote = ray.remote(num_cpus=launcher.num_cpus, max_retries=0)(_run_remote)
    state = Singleton.get_state()
    pending, returns = {}, {}
    for i, overrides in enumerate(job_overrides):
        idx = initial_job_idx + i
        sweep_config = launcher.hydra_context.config_loader.load_sweep_config(config, list(overrides))
        with open_dict(sweep_config):
            sweep_config.hydra.job.id = f"ray_{idx}"
            sweep_config.hydra.job.num = idx
        folder = sweep_dir / str(sweep_config.hydra.sweep.subdir)
        if already_finished(folder, _task_config(sweep_config), list(overrides)):
            print(f"[job {idx}] already finished in {folder}: kept", flush=True)
            returns[idx] = JobReturn(overrides=list(overrides), cfg=sweep_config, status=JobStatus.COMPLETED,
                                     _return_value=None, working_dir=str(folder))
            continue
        log.info(f"\t#{idx} : {' '.join(filter_overrides(overrides))}")
        pending[remote.remote(launcher.hydra_context, sweep_config, launcher.task_function, state)] = (idx, folder)
    started, total = time.time(), len(pending)
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1)
        idx, folder = pending.pop(done[0])
        ret, files = ray.get(done[0])
        write_job(folder, files)
        ret.working_dir = str(folder)
        returns[idx] = ret
        print(f"[ray] {total - len(pending)}/{total} jobs done ({time.time() - started:.0f} s)", flush=True)
    return [returns[i] for i in sorted(returns)]


def _task_config(sweep_config) -> dict:
    """The configuration the task function receives (Hydra's own settings taken out)."""
    cfg = copy.deepcopy(sweep_config)
    with read_write(cfg), open_dict(cfg):
        del cfg["hydra"]
    data = OmegaConf.to_container(cfg, resolve=True)
    assert isinstance(data, dict)
    return data


def write_job(folder: Path, files: dict[str, bytes]) -> None:
    """Write a job's files under ``folder`` on the driver: what was there goes first, each
    file is written under a temporary name and renamed, and the manifest comes last, so
    a folder is finished only when all of it is there."""
    if folder.exists():
        shutil.rmtree(folder)
    for name in sorted(files, key=lambda n: n == MANIFEST):
        with replacing(folder / name) as tmp:
            tmp.write_bytes(files[name])


def _run_remote(hydra_context, sweep_config, task_function, singleton_state) -> tuple[JobReturn, dict[str, bytes]]:
    """On a worker: run one job in a temporary folder, return its result and its files."""
    setup_globals()
    Singleton.set_state(singleton_state)
    with tempfile.TemporaryDirectory(prefix="factsim_job_") as tmp:
        with open_dict(sweep_config):
            sweep_config.hydra.sweep.dir = tmp
        HydraConfig.instance().set_config(sweep_config)
        ret = run_job(hydra_context=hydra_context, task_function=task_function, config=sweep_config,
                      job_dir_key="hydra.sweep.dir", job_subdir_key="hydra.sweep.subdir")
        job_cfg = ret.hydra_cfg
        assert job_cfg is not None   # run_job gives every job's configuration
        folder = Path(str(job_cfg.hydra.runtime.output_dir))   # the job's own folder, inside tmp
        if Path(tmp) not in folder.parents:
            raise RuntimeError(f"the job wrote to {folder}, outside its temporary folder {tmp}")
        files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    ret.hydra_cfg = None   # holds the worker's temporary paths; the driver has its own
    return ret, files
