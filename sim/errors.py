"""The one exception users see: a configuration problem, reported in one line."""


class ConfigError(ValueError):
    """A parameter is missing, unknown or out of range.

    The message always names the full key (e.g. ``clinical.los_mean_days.coercive``)
    and what is allowed, so the command line can print it without a traceback.
    """
