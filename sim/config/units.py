"""Units of the model clock. The simulation's time unit is one day (model document,
section 'Time'); these are conversions, not parameters."""

DAYS_PER_YEAR = 365.0
DAYS_PER_MONTH = DAYS_PER_YEAR / 12.0
DAYS_PER_WEEK = 7.0
