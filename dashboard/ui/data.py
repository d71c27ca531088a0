"""Cached database access for pages: the process's shared reader (``dashboard.db.reader``), and
query results keyed by (query, parameters, database fingerprint) so an import shows up at once.
While an import writes the database, a page says so and continues by itself when the write ends."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from typing import TYPE_CHECKING

from dashboard.db import fingerprint, reader, reading, run_query, wait_for_writer, write_pending
from dashboard.periods import Period, parse_period
from dashboard.ui.access import check_area
from dashboard.ui.text import t

if TYPE_CHECKING:  # the briefing (plotly figures) is imported by the meeting page only, not at app start
    from dashboard.briefing import Briefing


def database_ready() -> bool:
    return fingerprint() != "missing"


def settled_version() -> str:
    """The database's fingerprint once no import is writing it; meanwhile the page says that the data
    is being updated (and carries on by itself when the write ends)."""
    if write_pending() and not reader().held_here:
        with st.spinner(t("data_updating")):
            wait_for_writer()
    return fingerprint()


@st.cache_data(max_entries=256, show_spinner=False)
def _cached(name: str, params: tuple, version: str) -> pd.DataFrame:
    with reading() as cursor:
        return run_query(cursor, name, dict(params))


def query(name: str, **params) -> pd.DataFrame:
    """Result of ``queries/<name>.sql`` for these parameters, refreshed when the database changes; a
    query outside the user's area stops the page with a message (``ui.access.check_area``)."""
    check_area(name, params)
    return _cached(name, tuple(sorted(params.items())), settled_version())


# A resource, not data: the briefing is shared as built instead of unpickled (three figures, 50-130 ms)
# on every slide click. Pages only read it; its figures are already localised for its language.
@st.cache_resource(max_entries=16, show_spinner=False)
def _cached_briefing(region_code: str, period_code: str, as_of, lang: str, version: str) -> Briefing:
    from dashboard.briefing import build_briefing

    with reading() as cursor:
        return build_briefing(cursor, region_code, parse_period(period_code), as_of, lang)


def briefing(region_code: str, period: Period, as_of, lang: str) -> Briefing:
    """The TP Posyandu meeting briefing for an area and period, refreshed when the database changes."""
    check_area("briefing", {"region": region_code})
    return _cached_briefing(region_code, period.code, as_of, lang, settled_version())
