"""How a value becomes text for a reader, in one place: numbers, counts, percentages, changes in
percentage points, dates and months, through Babel (CLDR data) in Indonesian (``id``) or English
(``en``). Pages, maps, charts, the briefing, its PDF and the downloads all write values with these
functions, so a figure reads the same everywhere: "21,0%", "10.345", "−1,2 pp", "Okt 2025" in
Indonesian; "21.0%", "10,345", "−1.2 pp", "Oct 2025" in English. A missing value is "–".

Percentages are taken in percent units (21.0 is written "21,0%"), as the marts store them.
Years are not quantities: write them with ``year`` ("2005"), never with ``number`` ("2.005").
"""

from __future__ import annotations

import math
from functools import lru_cache
from datetime import date as Date, datetime

from babel import dates as babel_dates
from babel import numbers as babel_numbers

LOCALES = {"id": "id_ID", "en": "en"}
MISSING = "–"
MINUS = "\u2212"            # a real minus sign, as type-setters write it (not the hyphen "-")


def locale(lang: str) -> str:
    """The CLDR locale of a UI language code."""
    return LOCALES.get(lang, LOCALES["id"])


def missing(value) -> bool:
    """True for None, NaN, pandas NA/NaT: the values written as "–"."""
    if value is None:
        return True
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):         # pandas NA refuses bool()
        return True


@lru_cache(maxsize=8)
def _marks(lang: str) -> tuple[str, str, str]:
    """The locale's decimal mark, thousands mark and what follows a number as a percentage (CLDR, via Babel)."""
    where = locale(lang)
    return (babel_numbers.get_decimal_symbol(where), babel_numbers.get_group_symbol(where),
            babel_numbers.format_percent(0, locale=where)[1:])


def _unsigned(value: float, lang: str, digits: int) -> str:
    """|value| with the locale's marks. Both languages group by three (CLDR "#,##0.###"), so Python writes
    the digits and the marks are swapped in: the same text as Babel's formatter, 50 times faster (tables)."""
    decimal, group, _ = _marks(lang)
    return f"{abs(value):,.{max(digits, 0)}f}".translate({ord(","): group, ord("."): decimal})


def _signed_text(value: float, text: str) -> str:
    return MINUS + text if value < 0 and any(c in "123456789" for c in text) else text


def number(value, lang: str, digits: int = 0) -> str:
    """A quantity with the reader's decimal mark and thousands grouping: 10.345 / 2,5 (id), 10,345 / 2.5 (en).
    A value that rounds to zero carries no sign ("0,0", never "−0,0")."""
    if missing(value):
        return MISSING
    return _signed_text(float(value), _unsigned(float(value), lang, digits))


def numbers(values, lang: str, digits: int = 0):
    """A whole column of quantities at once (a pandas Series of text), as ``number`` writes each: tables of
    thousands of rows are written in milliseconds, not seconds."""
    import pandas as pd

    decimal, group, _ = _marks(lang)
    values = pd.to_numeric(pd.Series(values), errors="coerce").astype(float)
    text = (values.abs().map(f"{{:,.{max(digits, 0)}f}}".format).astype(object)      # object: an empty column too
            .str.translate({ord(","): group, ord("."): decimal}))
    text = text.where(~((values < 0) & text.str.contains("[1-9]", regex=True)), MINUS + text)
    return text.where(values.notna(), MISSING)


def count(value, lang: str) -> str:
    """A whole number of children, posyandu, referrals ...: 1.097 (id), 1,097 (en)."""
    return number(value, lang, 0)


def percent(value, lang: str, digits: int = 1) -> str:
    """A value in percent units written as a percentage: 21,0% (id), 21.0% (en)."""
    if missing(value):
        return MISSING
    return number(value, lang, digits) + _marks(lang)[2]


def points(value, lang: str, digits: int = 1) -> str:
    """A change in percentage points, always signed: +0,4 pp, −1,2 pp, 0,0 pp (no sign when it rounds to zero)."""
    return signed(value, lang, digits) + ("" if missing(value) else " pp")


def signed(value, lang: str, digits: int = 0) -> str:
    """A change written with its sign: +3, −12, 0."""
    if missing(value):
        return MISSING
    text = number(value, lang, digits)
    return text if text.startswith(MINUS) or not any(c in "123456789" for c in text) else "+" + text


def year(value) -> str:
    """A year as a label, never grouped: "2005"."""
    if missing(value):
        return MISSING
    return str(value.year) if isinstance(value, (Date, datetime)) or hasattr(value, "year") else str(int(value))


def _day(value) -> Date | None:
    if missing(value):
        return None
    if hasattr(value, "to_pydatetime"):               # pandas Timestamp
        value = value.to_pydatetime()
    return value.date() if isinstance(value, datetime) else value


def date(value, lang: str) -> str:
    """A day: 3 Okt 2025 (id), 3 Oct 2025 (en)."""
    day = _day(value)
    return MISSING if day is None else f"{day.day} {_month_names(lang, True)[day.month]} {day.year}"


def month(value, lang: str, short: bool = False) -> str:
    """The month of a day: Oktober 2025 / October 2025, or with ``short`` Okt 2025 / Oct 2025."""
    day = _day(value)
    return MISSING if day is None else f"{_month_names(lang, short)[day.month]} {day.year}"


@lru_cache(maxsize=8)
def _month_names(lang: str, short: bool) -> dict[int, str]:
    """CLDR month names as used beside a year ("format" context): Oktober / Okt, October / Oct."""
    return dict(babel_dates.get_month_names("abbreviated" if short else "wide", "format", locale(lang)))


def separators(lang: str) -> str:
    """Plotly's layout ``separators`` (decimal mark, then thousands mark) for the reader's language, so the
    numbers Plotly writes itself (ticks, hover templates) follow the same rule as ours."""
    return babel_numbers.get_decimal_symbol(locale(lang)) + babel_numbers.get_group_symbol(locale(lang))
