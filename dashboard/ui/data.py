"""Cached database access for pages: one read-only connection per database file version, and
query results keyed by (query, parameters, database fingerprint) so an import shows up at once."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from typing import TYPE_CHECKING

from dashboard.db import connect_readonly, fingerprint, read_cursor, run_query
from dashboard.periods import Period, parse_period
from dashboard.ui.access import check_area

if TYPE_CHECKING:  # the briefing (plotly figures) is imported by the meeting page only, not at app start
    from dashboard.briefing import Briefing


@st.cache_resource(max_entries=2)
def _connection(version: str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the database file as it is at ``version``; cursors are taken per use."""
    return connect_readonly()


def database_ready() -> bool:
    return fingerprint() != "missing"


@st.cache_data(max_entries=256, show_spinner=False)
def _cached(name: str, params: tuple, version: str) -> pd.DataFrame:
    cursor = read_cursor(_connection(version))
    try:
        return run_query(cursor, name, dict(params))
    finally:
        cursor.close()


def query(name: str, **params) -> pd.DataFrame:
    """Result of ``queries/<name>.sql`` for these parameters, refreshed when the database changes; a
    query outside the user's area stops the page with a message (``ui.access.check_area``)."""
    check_area(name, params)
    return _cached(name, tuple(sorted(params.items())), fingerprint())


# A resource, not data: the briefing is shared as built instead of unpickled (three figures, 50-130 ms)
# on every slide click. Pages only read it; its figures are already localised for its language.
@st.cache_resource(max_entries=16, show_spinner=False)
def _cached_briefing(region_code: str, period_code: str, as_of, lang: str, version: str) -> Briefing:
    from dashboard.briefing import build_briefing

    cursor = read_cursor(_connection(version))
    try:
        return build_briefing(cursor, region_code, parse_period(period_code), as_of, lang)
    finally:
        cursor.close()


def briefing(region_code: str, period: Period, as_of, lang: str) -> Briefing:
    """The TP Posyandu meeting briefing for an area and period, refreshed when the database changes."""
    check_area("briefing", {"region": region_code})
    return _cached_briefing(region_code, period.code, as_of, lang, fingerprint())
