"""How complete an area's period is, in words, and which previous period it is compared with.

The numbers come from the ``completeness`` mart (``queries/pages/common/completeness`` and
``period_completeness``); this module only says them and picks the comparison, so pages, the meeting
slides and the public page label a partial period the same way. A partial period's prevalence is not
compared (the previous period's "same months" is not a period of the marts); sums over months (D/S,
N/D') are compared with the same months of the previous period.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import format as fmt
from dashboard.i18n import phrase
from dashboard.periods import Period, _add_months


def is_complete(row) -> bool:
    """A period is complete when every one of its months is; no row (no data at all) is not."""
    return row is not None and bool(row["complete"])


def coverage_text(row, lang: str) -> str:
    """'' for a complete period; '10 dari 12 bulan' when months have no data; otherwise the share of
    usually-reporting posyandu that reported ('sebagian: 45% posyandu melapor')."""
    if row is None:
        return phrase("coverage_months", lang).format(**{"with": 0, "months": "?"})
    if is_complete(row):
        return ""
    if int(row["months_with_data"]) < int(row["months"]):
        return phrase("coverage_months", lang).format(**{"with": fmt.count(row["months_with_data"], lang),
                                                         "months": fmt.count(row["months"], lang)})
    return phrase("coverage_partial_reporting", lang).format(pct=fmt.percent(row["reporting_pct"], lang, 0))


def period_label(period: Period, row, lang: str) -> str:
    """The picker's label: 'Tahun 2026 (10 dari 12 bulan)' for a partial period, the plain label otherwise."""
    if row is None:
        row = {"complete": False, "months_with_data": 0, "months": period.length_months, "reporting_pct": None}
    coverage = coverage_text(row, lang)
    return period.label(lang) + (f" ({coverage})" if coverage else "")


def covers(row, lang: str) -> str:
    """The months a period's data covers: 'Januari 2026 – Oktober 2026' (one month named once)."""
    if row is None or pd.isna(row["first_data_month"]):
        return fmt.MISSING
    first, last = (Period("month", pd.Timestamp(row[k]).date().replace(day=1)) for k in ("first_data_month", "last_data_month"))
    return first.label(lang) if first == last else f"{first.label(lang)} – {last.label(lang)}"


def coverage_note(row, lang: str) -> str:
    """The sentence under the filter for a partial period ('' when complete)."""
    if is_complete(row):
        return ""
    return phrase("coverage_note", lang).format(covers=covers(row, lang), coverage=coverage_text(row, lang))


def default_period(options: list[Period], rows: pd.DataFrame) -> Period:
    """The latest complete period among ``options`` (newest first) by the area's completeness rows
    (``period_completeness``); the newest option when none is complete."""
    complete = {pd.Timestamp(s).date() for s in rows.loc[rows.complete.astype(bool), "period_start"]} if len(rows) else set()
    return next((p for p in options if p.start in complete), options[0])


def comparable_previous(period: Period, row, previous_row) -> Period | None:
    """The previous period a prevalence is compared with: the one before when both are complete, none
    otherwise (a partial period has no like-for-like period in the marts)."""
    return period.previous if is_complete(row) and is_complete(previous_row) else None


def comparable_months(period: Period, row, previous_row) -> tuple[date, date] | None:
    """For sums over months (D/S, N/D'): the previous period's same months as those with data now,
    [start, end); None when there is no data now or the previous period is itself incomplete."""
    if row is None or pd.isna(row["last_data_month"]) or not is_complete(previous_row):
        return None
    last = pd.Timestamp(row["last_data_month"]).date().replace(day=1)
    covered = (last.year * 12 + last.month) - (period.start.year * 12 + period.start.month) + 1
    start = period.previous.start
    return start, _add_months(start, min(covered, period.length_months))


def coverage_of(cursor, region: str, period: Period) -> dict | None:
    """The completeness row of ``region``'s ``period`` (``pages/common/completeness``) read on a DuckDB
    connection or cursor, None without data: for callers outside the pages (briefing, public page)."""
    from dashboard.db import run_query

    rows = run_query(cursor, "pages/common/completeness", {"region": region, "period_type": period.type,
                                                          "period_start": period.start})
    return rows.iloc[0].to_dict() if len(rows) else None


def data_until(cursor, region: str) -> date | None:
    """The last complete month of ``region`` (``pages/common/area_data_until``): what "data sampai ..."
    says; an early upload of another area, or a partial month of this one, never moves it."""
    from dashboard.db import run_query

    month = run_query(cursor, "pages/common/area_data_until", {"region": region}).last_complete_month.iloc[0]
    return None if month is None or pd.isna(month) else pd.Timestamp(month).date()
