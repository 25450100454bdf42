"""Check the command line before Hydra starts a run or a sweep.

Every job a command would launch is composed and validated first, so a wrong
key, a value out of range or an unknown organisation in any sweep point stops
the command in one line naming the key, before any job starts and before any
output folder is made. Hydra's own messages (several lines and a hint about
stack traces) are folded into that one line.
"""
from __future__ import annotations

import copy
import itertools
from pathlib import Path

from sim.config import search
from sim.config.errors import ConfigError, one_line

# more sweep points than this are refused: each point is at least one job of seconds, so
# a bigger sweep is a mistake or days of work, and checking it would take minutes
MAX_POINTS = 100_000
# a sweep of more points than this shows a progress bar while its points are checked
PROGRESS_FROM = 200
# more values than this for one swept key is refused (each is at least one job of seconds)
MAX_VALUES = 10_000
# command-line flags that take a value in the next argument
_FLAGS_WITH_VALUE = {"--config-name", "-cn", "--config-path", "-cp", "--config-dir", "-cd",
                     "--cfg", "-c", "--package", "-p", "--info", "--experimental-rerun"}
# flags after which Hydra only prints something: nothing to check
_PRINT_ONLY = {"--help", "-h", "--hydra-help", "--cfg", "-c", "--info", "--version",
               "--shell-completion", "-sc", "--experimental-rerun"}


def choices(folders: list[Path], group: str) -> list[str]:
    """The choices of a config group: the YAML file names in ``group/`` of every folder."""
    return sorted({p.stem for f in folders for p in (f / group).glob("*.yaml")})


_FOLDER_FLAGS = {"--config-name": "name", "-cn": "name", "--config-path": "path", "-cp": "path",
                 "--config-dir": "dir", "-cd": "dir"}


class Command:
    """What a command line asks for: config name, config folders, the task's overrides."""

    def __init__(self, argv: list[str], scenarios: Path):
        self.name, self.primary, self.extra = "config", Path(scenarios), []
        self.overrides: list[str] = []
        self.hydra: list[str] = []   # Hydra's own settings (hydra.run.dir=..., hydra/launcher=...)
        self.multirun = any(a in ("-m", "--multirun") for a in argv)
        skip = False
        for i, arg in enumerate(argv):
            if skip:
                skip = False
                continue
            flag, eq, val = arg.partition("=")
            if flag in _FOLDER_FLAGS:
                value = val if eq else (argv[i + 1] if i + 1 < len(argv) else "")
                skip = not eq
                kind = _FOLDER_FLAGS[flag]
                if kind == "name":
                    self.name = value
                elif kind == "path":  # Hydra: relative to the file declaring hydra.main
                    self.primary = (Path(__file__).parent / value).resolve()
                else:
                    folder = Path(value).resolve()
                    if not value or not folder.is_dir():
                        raise ConfigError(f"--config-dir {value}: no such folder (a folder of your own "
                                          "YAML files laid out like scenarios/)")
                    self.extra.append(folder)
                continue
            if arg.startswith("-"):
                skip = flag in _FLAGS_WITH_VALUE and not eq and flag != "--info"
                continue
            if arg.lstrip("+~").startswith(("hydra.", "hydra/", "hydra=")):
                self.hydra.append(arg)
                continue
            self.overrides.append(arg)

    @property
    def folders(self) -> list[Path]:
        """The config folders in search order: the shipped scenarios, then the user's."""
        return [self.primary, *self.extra]

    def searchpath(self) -> list[str]:
        """The Hydra override that adds the user's --config-dir folders to the search path."""
        if not self.extra:
            return []
        dirs = ",".join(f"file://{d}" for d in self.extra)
        return [f"hydra.searchpath=[{dirs}]"]


def check_group_choices(overrides: list[str], folders: list[Path]) -> None:
    """``organisation=nosuch`` in one line with the allowed choices."""
    for arg in overrides:
        if "=" not in arg:
            continue
        key, _, value = arg.lstrip("+").partition("=")
        group = key.split("@")[0]
        if "." in group or not any((f / group).is_dir() for f in folders):
            continue
        allowed = choices(folders, group)
        if value.strip() == "null":   # Hydra cannot set a config group to null: it is removed with ~
            raise ConfigError(f"{key}=null: a config group is left out with ~{group} (or choose one of "
                              f"{', '.join(allowed)})")
        for choice in _values(value):
            if choice not in allowed:
                raise ConfigError(f"{key}={choice}: unknown {group}; allowed: {', '.join(allowed)} "
                                  f"(files in {folders[0].name}/{group}/)")


def _values(value: str) -> list[str]:
    value = value.strip()
    if value.startswith(("choice(", "range(", "glob(", "interval(", "tag(", "sort(", "shuffle(")):
        inner = value[value.find("(") + 1:value.rfind(")")]
        if value.startswith(("choice(",)):
            return [v.strip().strip("'\"") for v in inner.split(",") if v.strip()]
        return []
    if value.startswith("[") and value.endswith("]"):   # several configs of one group: targets=[a,b]
        value = value[1:-1]
    return [v.strip().strip("'\"") for v in value.split(",") if v.strip() and v.strip() != "null"]


def parse_overrides(overrides: list[str]) -> list:
    """Hydra's parse of each override; one that does not parse is one line naming it (a
    list of overrides without inner quotes gets the quoting)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    parser = OverridesParser.create()
    parsed = []
    for arg in overrides:
        try:
            parsed += parser.parse_overrides([arg])
        except (HydraException, ValueError) as err:
            key, _, value = arg.partition("=")
            hint = ""
            if value.startswith("[") and "=" in value:
                items = ",".join(f"'{v.strip()}'" for v in value.strip("[]").split(","))
                hint = f"; quote each override in the list: \"{key}=[{items}]\""
            raise ConfigError(f"{_short(arg)}: cannot read this override "
                              f"({_short(one_line(err), 200)}){hint}") from None
    return parsed


def sweep_points(overrides: list[str], folders: list[Path] | None = None) -> list[list[str]]:
    """Every combination of swept values, as lists of plain overrides. A ``glob(...)``
    over a config group is expanded against the group's files (``folders``)."""
    from hydra.core.override_parser.types import Glob

    options = []
    for ov in parse_overrides(overrides):
        key = ov.get_key_element()
        glob = ov.value()
        if isinstance(glob, Glob):
            group = key.lstrip("+~").split("@")[0]
            names = glob.filter(choices(list(folders), group)) if folders else []
            if not names:
                raise ConfigError(f"{ov.input_line}: glob() sweeps choose files of a config group "
                                  f"and matched none here; list the values instead (key=a,b,c)")
            options.append([f"{key}={v}" for v in names])
        elif getattr(ov.value(), "tags", None):
            raise ConfigError(f"{ov.input_line}: tag() marks a lever of an optimising sweeper (-m "
                              "hydra/sweeper=optuna objective=...); without one, list the values (key=a,b,c)")
        elif ov.is_interval_sweep():
            raise ConfigError(f"{ov.input_line}: interval() needs an optimising sweeper (-m hydra/sweeper=optuna "
                              "objective=..., pip install 'factsim[optimise]'); list the values (key=a,b,c) "
                              "or use range(start,stop,step)")

        elif ov.is_sweep_override():
            values = list(itertools.islice(ov.sweep_string_iterator(), MAX_VALUES + 1))
            if len(values) > MAX_VALUES:
                raise ConfigError(f"{_short(ov.input_line)}: more than {MAX_VALUES:,} values for one key; "
                                  "sweep fewer values (every value is a job)")
            options.append([f"{key}={v}" for v in values])
        else:
            options.append([ov.input_line])
    options = [o for o in options if o]
    total = 1
    for o in options:
        total *= len(o)
    if total > MAX_POINTS:
        sizes = " x ".join(str(len(o)) for o in options if len(o) > 1)
        raise ConfigError(f"a sweep of {total:,} points ({sizes}); at most {MAX_POINTS:,}: sweep fewer "
                          "values or split the sweep (every point is a job)")
    return [list(p) for p in itertools.product(*options)]


def check(argv: list[str], scenarios: Path) -> int:
    """Compose and validate every job of the command; return how many were checked."""
    if any(a.partition("=")[0] in _PRINT_ONLY for a in argv):
        return 0
    cmd = Command(argv, scenarios)
    check_group_choices(cmd.overrides, cmd.folders)
    from hydra import compose, initialize_config_dir
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    extra = cmd.searchpath()
    with initialize_config_dir(config_dir=str(cmd.primary), version_base="1.3"):
        overrides = cmd.overrides
        optimising = cmd.multirun and search.selected(cmd.hydra)
        if cmd.multirun:
            overrides = _with_config_sweeps(overrides, extra + cmd.hydra, cmd, compose, optimising)
        if optimising:
            points = check_search_space(overrides, cmd, extra, compose)
            check_writable(compose(cmd.name, overrides=points[0] + extra + cmd.hydra, return_hydra_config=True),
                           True)
            return len(points)
        points = sweep_points(overrides, cmd.folders)
        if not cmd.multirun and len(points) > 1:
            swept = [ov for ov in overrides if len(sweep_points([ov], cmd.folders)) > 1]
            raise ConfigError(f"{' '.join(swept)}: several values make a sweep; add -m to run one "
                              "job per value (factsim -m ...)")
        try:   # Hydra's own settings (hydra.run.dir=..., hydra/launcher=...), once
            hydra_cfg = compose(cmd.name, overrides=points[0] + extra + cmd.hydra, return_hydra_config=True)
        except (HydraException, OmegaConfBaseException) as err:
            raise ConfigError(explain(err, lambda: compose(cmd.name, overrides=extra,
                                                           return_hydra_config=True))) from None
        Points(cmd.name, extra, cmd.folders, compose).check(points)
    check_writable(hydra_cfg, cmd.multirun)
    return len(points)


def check_search_space(overrides: list[str], cmd: Command, extra: list[str], compose) -> list[list[str]]:
    """An optimising sweep: Optuna installed, an objective chosen, at least one lever, and
    every corner of the search space (each lever at its ends, every choice) a valid
    configuration; returns the corners checked."""
    import importlib.util

    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    if importlib.util.find_spec("optuna") is None:
        raise ConfigError("hydra/sweeper=optuna: needs Optuna; install factsim's extra: "
                          "pip install 'factsim[optimise]'")
    levers, fixed = search.search_space(parse_overrides(overrides))
    if not levers:
        raise ConfigError("hydra.sweeper.params: an empty search space; give at least one lever, e.g. "
                          "\"organisation.teams.fact.caseload=interval(10,40)\" or key=choice(a,b)")
    check_group_choices(fixed, cmd.folders)
    for lv in levers:
        if lv.kind == "categorical":
            check_group_choices([lv.override(v) for v in lv.choices], cmd.folders)
    corners = [fixed + c for c in search.corners(levers)]
    try:
        cfg = compose(cmd.name, overrides=corners[0] + extra + cmd.hydra, return_hydra_config=True)
    except (HydraException, OmegaConfBaseException) as err:
        raise ConfigError(explain(err, lambda: compose(cmd.name, overrides=extra,
                                                       return_hydra_config=True))) from None
    if cfg.get("objective") is None:
        raise ConfigError("objective: the optimising sweeper needs an objective to optimise; choose one with "
                          f"objective=<name> ({', '.join(choices(cmd.folders, 'objective'))}: files in "
                          "scenarios/objective/)")
    n_trials = cfg.hydra.sweeper.get("n_trials")
    if not isinstance(n_trials, int) or isinstance(n_trials, bool) or n_trials < 1:
        raise ConfigError(f"hydra.sweeper.n_trials = {n_trials!r}: must be a whole number >= 1")
    n_jobs = cfg.hydra.sweeper.get("n_jobs")
    if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs < 1:
        raise ConfigError(f"hydra.sweeper.n_jobs = {n_jobs!r}: must be a whole number >= 1 (trials run at once)")
    sampler = cfg.hydra.sweeper.get("sampler")
    if sampler not in ("tpe", "random"):
        raise ConfigError(f"hydra.sweeper.sampler = {sampler!r}: must be one of tpe, random")
    checker = Points(cmd.name, extra, cmd.folders, compose)
    for corner in corners:
        try:
            checker.check([corner])
        except ConfigError as err:
            ends = " ".join(corner[len(fixed):])
            raise ConfigError(f"{err} (at the search space's end {ends})") from None
    return corners


def check_writable(hydra_cfg, multirun: bool) -> None:
    """The run (or sweep) folder can be made and written, checked before Hydra opens its
    log file there (Hydra's log handler would fail with a traceback): one line naming the
    folder and the key that sets it."""
    import os

    from omegaconf import OmegaConf

    key = "hydra.sweep.dir" if multirun else "hydra.run.dir"
    try:
        value = OmegaConf.select(hydra_cfg, key)
    except Exception:   # noqa: BLE001 - an interpolation Hydra resolves only at run time: Hydra checks it
        return
    if not value:
        return
    folder = Path(str(value)).absolute()
    existing = folder
    while not existing.exists() and existing != existing.parent:   # the nearest folder that exists
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"{key}={folder}: the run folder cannot be made ({existing} is a file, not a folder)")
    if not os.access(existing, os.W_OK | os.X_OK):
        what = "the run folder" if existing == folder else f"the run folder's parent {existing}"
        raise ConfigError(f"{key}={folder}: {what} cannot be written (no permission); choose another "
                          f"folder with {key}=...")


class _NotPlain(Exception):
    """An override the quick path does not apply as Hydra would: compose the point instead."""


class Points:
    """Every point of a sweep, validated as its job will be, without composing each one.

    Hydra composes a configuration in about 0.1-0.3 s; a sweep of thousands of points would
    wait minutes before its first job. Here each combination of config-group choices
    (``organisation=...``) is composed once, and a point's other overrides are applied
    to a copy of it as Hydra applies them (set, ``+`` add, ``~`` delete, a mapping merged
    into a mapping); then the point is validated in full, so values that are wrong only
    together are found. Anything the quick path cannot apply exactly (an interpolation,
    an unknown key) is composed by Hydra, which gives its own message.
    """

    def __init__(self, name: str, extra: list[str], folders: list[Path], compose):
        from hydra.core.override_parser.overrides_parser import OverridesParser

        self.name, self.extra, self.folders, self.compose = name, extra, folders, compose
        self._parser = OverridesParser.create()
        self._parsed: dict[str, object] = {}
        self._bases: dict[tuple[str, ...], dict | None] = {}

    def check(self, points: list[list[str]]) -> None:
        """Refuse the first point that does not validate, in one line."""
        from tqdm.auto import tqdm

        from sim.config.load import load

        shown = tqdm(points, desc="Checking the sweep's points", unit="point", leave=False,
                     disable=None if len(points) > PROGRESS_FROM else True)
        for point in shown:
            load(self.config(point), point)

    def config(self, point: list[str]):
        """The configuration the job of ``point`` will run with (a plain dict or Hydra's)."""
        groups = tuple(o for o in point if self._is_group(o))
        base = self._base(groups)
        if base is not None:
            data = copy.deepcopy(base)
            try:
                for o in point:
                    if o not in groups:
                        _apply(data, self._parse(o))
                return data
            except _NotPlain:
                pass
        return self._compose(point)

    def _is_group(self, override: str) -> bool:
        key = override.lstrip("+~").partition("=")[0]
        group = key.split("@")[0]
        return "@" in key or ("." not in group and any((f / group).is_dir() for f in self.folders))

    def _parse(self, override: str):
        if override not in self._parsed:
            self._parsed[override] = self._parser.parse_overrides([override])[0]
        return self._parsed[override]

    def _base(self, groups: tuple[str, ...]) -> dict | None:
        """The composed configuration of these group choices, or None where an
        interpolation would make a plain copy differ from what Hydra composes."""
        if groups not in self._bases:
            from omegaconf import OmegaConf

            cfg = self._compose(list(groups))
            plain = OmegaConf.to_container(cfg, resolve=False)
            resolved = OmegaConf.to_container(cfg, resolve=True)
            self._bases[groups] = resolved if isinstance(resolved, dict) and plain == resolved else None
        return self._bases[groups]

    def _compose(self, overrides: list[str]):
        from hydra.errors import HydraException
        from omegaconf.errors import OmegaConfBaseException

        try:
            return self.compose(self.name, overrides=overrides + self.extra)
        except (HydraException, OmegaConfBaseException) as err:
            raise ConfigError(explain(err, lambda: self.compose(self.name, overrides=self.extra))) from None


def _apply(data: dict, ov) -> None:
    """Apply one parsed override to a plain configuration as Hydra does (OmegaConf's update
    with merge: a mapping is merged into a mapping, anything else replaced); raise
    :class:`_NotPlain` where Hydra would refuse or where its result could differ."""
    value = ov.value()
    if ov.package is not None or isinstance(value, str) and "${" in value:
        raise _NotPlain
    *path, last = ov.key_or_group.split(".")
    adding = ov.is_add() or ov.is_force_add()
    node = data
    for part in path:
        if not isinstance(node, dict):
            raise _NotPlain
        if part not in node and adding:
            node[part] = {}
        if part not in node:
            raise _NotPlain
        node = node[part]
    if not isinstance(node, dict):
        raise _NotPlain
    if ov.is_delete():
        if last not in node or (value is not None and value != node[last]):
            raise _NotPlain
        del node[last]
    elif ov.is_add() and node.get(last) is not None and not isinstance(value, dict | list):
        raise _NotPlain   # Hydra: an item is already there
    elif last not in node and not adding:
        raise _NotPlain   # Hydra: could not override (an unknown key)
    else:
        node[last] = _merged(node.get(last), value, adding)


def _merged(old, new, adding: bool):
    if isinstance(old, dict) and isinstance(new, dict):
        if not adding and set(new) - set(old):
            raise _NotPlain   # Hydra's configuration is in struct mode: no new keys
        out = dict(old)
        for k, v in new.items():
            out[k] = _merged(out.get(k), v, adding)
        return out
    return copy.deepcopy(new)


def _with_config_sweeps(overrides: list[str], extra: list[str], cmd: Command, compose,
                        optimising: bool = False) -> list[str]:
    """Add the sweeps a config sets in ``hydra.sweeper.params`` (the command line wins)."""
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    if optimising:   # the plain overrides and every lever at its first end
        levers, fixed = search.search_space(parse_overrides(overrides))
        first = fixed + (search.corners(levers)[0] if levers else [])
    else:
        first = sweep_points(overrides, cmd.folders)[0]  # the first value of every command-line sweep
    name = cmd.name
    shape = ("hydra.sweeper.params: cannot be read; give a mapping of keys to comma-separated values, "
             "e.g. \"hydra.sweeper.params={seed:'1,2,3'}\"")
    try:
        cfg = compose(name, overrides=first + extra, return_hydra_config=True)
    except (HydraException, OmegaConfBaseException) as err:
        raise ConfigError(explain(err, lambda: compose(name, overrides=extra))) from None
    except (AssertionError, AttributeError, TypeError):
        # Hydra and OmegaConf fail inside their own code on a sweeper's params of the wrong
        # shape (an empty or null value merged into the params); only that override can do it
        if any(a.lstrip("+~").startswith("hydra.sweeper") for a in extra):
            raise ConfigError(shape) from None
        raise
    params = cfg.hydra.sweeper.get("params") or {}
    if not hasattr(params, "items"):
        raise ConfigError(shape)
    for key, value in params.items():
        if value is None or isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ConfigError(f"hydra.sweeper.params.{key}: must be comma-separated values, e.g. "
                              f"\"hydra.sweeper.params.{key}='1,2,3'\" (got {_short(str(value))})")
    given = {ov.lstrip("+~").partition("=")[0] for ov in overrides}
    return overrides + [f"{k}={v}" for k, v in params.items() if k not in given]


def explain(err: Exception, base_config) -> str:
    """One line for a Hydra composition error; unknown keys get the allowed keys."""
    text = one_line(err)
    cause = err.__cause__ or err.__context__
    full_key = getattr(cause, "full_key", None) or getattr(err, "full_key", None)
    if full_key and ("not in struct" in str(err) + str(cause)):
        from omegaconf import OmegaConf

        parent = str(full_key).rpartition(".")[0]
        base = base_config()
        node = OmegaConf.select(base, parent) if parent else base
        if node is not None and hasattr(node, "keys"):
            allowed = ", ".join(sorted(k for k in node.keys() if k != "sources"))
            return f"unknown key '{full_key}'; allowed keys here: {allowed}"
        return f"unknown key '{full_key}'"
    return text


def _short(text: str, width: int = 60) -> str:
    """A long value cut for a one-line message."""
    return text if len(text) <= width else f"{text[:width - 20]}...({len(text):,} characters)"
