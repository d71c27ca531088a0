"""Periods as the filter bar and the URL write them: "2026" (year), "2026-Q3" (quarter), "2026-10" (month),
"12m-2026-10" (rolling: the twelve months ending October 2026, keyed in the marts by its first month).

A period knows its type and first day (the keys of the marts), its end, the one before it, and the
months it covers, so every page asks the marts the same question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dashboard import format as fmt
from dashboard.i18n import phrase

_PATTERNS = (
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^12m-(\d{4})-(\d{2})$"), "rolling"),
)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    type: str        # year | quarter | month | rolling
    start: date      # first day

    @property
    def length_months(self) -> int:
        return {"year": 12, "quarter": 3, "month": 1, "rolling": 12}[self.type]

    @property
    def end(self) -> date:
        """First day after the period."""
        return _add_months(self.start, self.length_months)

    @property
    def previous(self) -> "Period":
        return Period(self.type, _add_months(self.start, -self.length_months))

    @property
    def year(self) -> date:
        return date(self.start.year, 1, 1)

    @property
    def last_month(self) -> date:
        return _add_months(self.start, self.length_months - 1)

    @property
    def code(self) -> str:
        if self.type == "rolling":
            return f"12m-{self.last_month.year}-{self.last_month.month:02d}"
        if self.type == "year":
            return f"{self.start.year}"
        if self.type == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    def label(self, lang: str = "id") -> str:
        """'Tahun 2026', 'Triwulan 3 2026', 'Oktober 2026', '12 bulan s.d. Oktober 2026' (or in English):
        the words are phrases of ``dashboard.i18n``, the month is ``dashboard.format``'s."""
        if self.type == "rolling":
            return phrase("period_label_rolling", lang).format(month=Period("month", self.last_month).label(lang))
        if self.type == "year":
            return phrase("period_label_year", lang).format(year=self.start.year)
        if self.type == "quarter":
            return phrase("period_label_quarter", lang).format(quarter=(self.start.month - 1) // 3 + 1,
                                                               year=self.start.year)
        return fmt.month(self.start, lang)


def parse_period(text: str | None) -> Period | None:
    """The period a URL value names, or None when it names none."""
    for pattern, kind in _PATTERNS:
        match = pattern.match((text or "").strip())
        if not match:
            continue
        year = int(match.group(1))
        if kind == "year":
            return Period("year", date(year, 1, 1))
        if kind == "quarter":
            return Period("quarter", date(year, 3 * int(match.group(2)) - 2, 1))
        month = int(match.group(2))
        if not 1 <= month <= 12:
            return None
        if kind == "rolling":
            return Period("rolling", _add_months(date(year, month, 1), -11))
        return Period("month", date(year, month, 1))
    return None


def periods_covering(months: list[date], kind: str) -> list[Period]:
    """Every period of ``kind`` that contains at least one of ``months``, newest first."""
    starts = set()
    for month in months:
        if kind == "year":
            starts.add(date(month.year, 1, 1))
        elif kind == "quarter":
            starts.add(date(month.year, (month.month - 1) // 3 * 3 + 1, 1))
        elif kind == "rolling":
            starts.add(_add_months(date(month.year, month.month, 1), -11))
        else:
            starts.add(date(month.year, month.month, 1))
    return [Period(kind, s) for s in sorted(starts, reverse=True)]
