"""Units of the model clock. The simulation's time unit is one day (model document,
section 'Time'); these are conversions, not parameters."""

from typing import Final

DAYS_PER_YEAR: Final = 365.0
DAYS_PER_MONTH: Final = DAYS_PER_YEAR / 12.0
DAYS_PER_WEEK: Final = 7.0
