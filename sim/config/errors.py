"""The one exception users see: a configuration problem, reported in one line."""


import sys
from typing import NoReturn


class ConfigError(ValueError):
    """A parameter is missing, unknown or out of range.

    The message always names the full key (e.g. ``clinical.los_mean_days.coercive``)
    and what is allowed, so the command line can print it without a traceback.
    """


def exit_bad_input(tool: str, err: Exception | str) -> NoReturn:
    """Bad input on the command line: one line naming the problem, exit 2, no traceback."""
    print(f"{tool}: error: {err}", file=sys.stderr)
    sys.exit(2)


def bad_input_types() -> tuple[type[BaseException], ...]:
    """What counts as bad input: our own ConfigError, a YAML file that does not parse,
    Hydra's and OmegaConf's refusals of an override or a config."""
    import yaml

    types: list[type[BaseException]] = [ConfigError, yaml.YAMLError]
    try:
        from hydra.errors import HydraException
        from omegaconf.errors import OmegaConfBaseException
        types += [HydraException, OmegaConfBaseException]
    except ImportError:  # pragma: no cover - hydra is a dependency
        pass
    return tuple(types)


def one_line(err: BaseException) -> str:
    """An exception's message folded into one line (Hydra's hints about stack traces dropped)."""
    lines = [ln.strip() for ln in str(err).splitlines()]
    keep = [ln for ln in lines if ln and not ln.startswith(("Set the environment variable",
                                                              "To append", "object_type",
                                                              "full_key:"))]
    return " ".join(keep) or type(err).__name__


def command(tool: str):
    """Decorate a command's ``main``: bad input and file-system faults end in one line and
    exit 2, Ctrl-C in one line and exit 130; a programming error keeps its traceback.

    The command itself removes what it had half-written before the exception reaches here.
    """
    import functools

    def wrap(main):
        @functools.wraps(main)
        def run(*args, **kwargs):
            try:
                return main(*args, **kwargs)
            except KeyboardInterrupt:
                if sys.stderr.isatty():
                    print(file=sys.stderr)   # off the progress bar's line
                print(f"{tool}: interrupted; nothing unfinished is kept as finished", file=sys.stderr)
                sys.exit(130)
            except bad_input_types() as err:
                exit_bad_input(tool, one_line(err))
            except OSError as err:   # an unwritable folder, a full disk, a file that vanished
                where = f"{err.filename}: " if err.filename else ""
                exit_bad_input(tool, f"{where}{err.strerror or one_line(err)}")
        return run
    return wrap
