"""The one exception users see: a configuration problem, reported in one line."""


import sys
from typing import NoReturn


class ConfigError(ValueError):
    """A parameter is missing, unknown or out of range.

    The message always names the full key (e.g. ``clinical.los_mean_days.coercive``)
    and what is allowed, so the command line can print it without a traceback.
    """


def exit_bad_input(tool: str, err: Exception) -> NoReturn:
    """Bad input on the command line: one line naming the problem, exit 2, no traceback."""
    print(f"{tool}: error: {err}", file=sys.stderr)
    sys.exit(2)
