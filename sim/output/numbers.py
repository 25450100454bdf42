"""Numbers as a reader of the report's language writes them (Babel's CLDR locale data).

Danish: decimal comma and a point between thousands ("2.688,55"); English: the reverse
("2,688.55"). An interval is written with a word between its ends ("17,20 til 19,90"),
never a dash that a minus sign could be mistaken for, and a figure that cannot be
computed says so in words instead of printing NaN.
"""
from __future__ import annotations

import math
from functools import lru_cache

from babel.numbers import format_decimal

LOCALES = {"da": "da_DK", "en": "en_GB"}
WORDS = {
    "da": {"to": "til", "from": "fra", "none": "ikke tilgængelig", "one": "intet interval: ét gennemløb"},
    "en": {"to": "to", "from": "from", "none": "not available", "one": "no interval: one run"},
}


def _pattern(decimals: int, signed: bool) -> str:
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return f"+{body};-{body}" if signed else body


def number(value: float, lang: str, decimals: int = 2, signed: bool = False) -> str:
    """``value`` with ``decimals`` decimals in ``lang``'s format (``signed``: a + before
    positive numbers); words, not NaN, when it is missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return WORDS[lang]["none"]
    return _formatted(float(value), LOCALES[lang], _pattern(decimals, signed))


@lru_cache(maxsize=8192)
def _formatted(value: float, locale: str, pattern: str) -> str:
    """Babel's formatting, kept: a figure's tick labels are formatted at every draw."""
    return format_decimal(value, format=pattern, locale=locale)


def duration(value: float, lang: str) -> str:
    """A count of years or months: no decimals when whole ("5"), else one ("0,5")."""
    return number(value, lang, 0 if float(value).is_integer() else 1)


def decimals_for(*values: float) -> int:
    """Enough decimals to tell the values apart at a glance: none from 100 up, one from
    10, two below (about three significant figures for the largest)."""
    finite = [abs(v) for v in values if v is not None and not math.isnan(v)]
    top = max(finite, default=0.0)
    return 0 if top >= 100 else 1 if top >= 10 else 2


def interval(mean: float, lower: float, upper: float, lang: str, decimals: int | None = None,
             signed: bool = False) -> str:
    """``mean (lower to upper)`` in ``lang``; the interval says why when it cannot be computed."""
    w = WORDS[lang]
    if mean is None or math.isnan(mean):
        return w["none"]
    d = decimals_for(mean, lower, upper) if decimals is None else decimals
    if lower is None or upper is None or math.isnan(lower) or math.isnan(upper):
        return f"{number(mean, lang, d, signed)} ({w['one']})"
    shown = [number(v, lang, d, signed) for v in (mean, lower, upper)]
    if shown[1] == shown[2]:   # no spread at all (staff paid, a fixed figure): the figure alone
        return shown[0]
    return f"{shown[0]} ({shown[1]} {w['to']} {shown[2]})"


def change(pct: float, lower: float, upper: float, lang: str) -> str:
    """A change in % with its interval, whole numbers and signed: ``-28 % (-33 til -24)``;
    in words where it is not defined or has no interval."""
    if pct is None or math.isnan(pct):
        return WORDS[lang]["none"]
    text = f"{number(pct, lang, 0, signed=True)} %"
    if lower is None or upper is None or math.isnan(lower) or math.isnan(upper):
        return f"{text} ({WORDS[lang]['one']})"
    return f"{text} ({number(lower, lang, 0, signed=True)} {WORDS[lang]['to']} {number(upper, lang, 0, signed=True)})"


def from_to(before: float, after: float, lang: str) -> str:
    """Two levels, before and after: ``fra 0 til 4.100`` (a change from zero has no change in %)."""
    d = decimals_for(before, after)
    return f"{WORDS[lang]['from']} {number(before, lang, d)} {WORDS[lang]['to']} {number(after, lang, d)}"


def day(iso: str, lang: str) -> str:
    """A date (``2025-08-01``) as ``lang`` writes it: ``1. august 2025``, ``1 August 2025``."""
    from datetime import date

    from babel.dates import format_date

    return format_date(date.fromisoformat(iso), "d. MMMM y" if lang == "da" else "d MMMM y",
                       locale=LOCALES[lang])
