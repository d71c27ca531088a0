"""The one filter bar shared by every page: region drill-down (provinsi -> kab/kota -> kecamatan ->
desa) and period, kept in the URL (``?wilayah=36.04&periode=2026``) so a view can be shared.

The URL is the source of truth. Every run sets each widget (by its stable key) from the URL, and a
change in a widget writes the URL in its ``on_change`` callback, before the run that draws it: so a
change takes effect on the first click, and a link opened, a map click or a page switch (which drops
the URL; this session keeps a copy) sets the widgets the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard.completeness import comparable_months, comparable_previous, coverage_note, default_period, period_label
from dashboard.config import settings
from dashboard.periods import Period, parse_period, periods_covering
from dashboard.regions import CHILD_LEVEL, LEVELS, ancestors
from dashboard.ui.access import allowed_root
from dashboard.ui.data import query
from dashboard.ui.text import language, t

_KEYS = ("wilayah", "periode")
_KINDS = ("year", "quarter", "month", "rolling")
PERIOD_TYPE_KEY, PERIOD_KEY = "filter_period_type", "filter_period"


def region_key(level: str) -> str:
    """The session-state key of the picker of ``level`` (stable: the widget keeps its identity)."""
    return f"filter_{level}"


@dataclass(frozen=True)
class Filters:
    region_code: str
    region_name: str
    level: str
    period: Period
    path: tuple[tuple[str, str], ...]   # (code, name) from the province down to the region
    coverage: dict | None = None        # the area's completeness row for the period (None: no data)
    comparable: Period | None = None    # the previous period when both are complete, else none (like for like)
    comparable_months: tuple[date, date] | None = None  # for sums over months: the same months of the previous period

    @property
    def child_level(self) -> str | None:
        return CHILD_LEVEL[self.level]

    @property
    def place(self) -> str:
        return " › ".join(name for _, name in self.path)


def _url_state() -> dict[str, str]:
    """The filter values from the URL, or from this session when a page switch dropped them."""
    saved = st.session_state.setdefault("filter_url", {})
    state = {k: st.query_params.get(k) for k in _KEYS if st.query_params.get(k)}
    return state or dict(saved)


def _write_url(**values: str) -> None:
    """Put the chosen filters in the URL, and in this session for a page switch that drops the URL."""
    saved = st.session_state.setdefault("filter_url", {})
    for key, value in values.items():
        saved[key] = value
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def _region_picked(depth: int) -> None:
    """A region picker changed: its code (for "all", the code of the picker above) becomes the URL's region."""
    picked = st.session_state[region_key(LEVELS[depth])]
    parent = st.session_state.get(region_key(LEVELS[depth - 1]), "") if depth else ""
    _write_url(wilayah=picked or parent)


def _period_type_picked(months: list[date]) -> None:
    """The period type changed: the URL's period becomes the newest period of that type inside the one shown."""
    options = periods_covering(months, st.session_state[PERIOD_TYPE_KEY])
    _write_url(periode=period_within(parse_period(st.session_state.get(PERIOD_KEY)), options).code)


def _period_picked() -> None:
    _write_url(periode=st.session_state[PERIOD_KEY])


def period_within(shown: Period | None, options: list[Period]) -> Period:
    """The first of ``options`` (newest first) that overlaps ``shown``: Tahun 2025 -> Triwulan 4 2025,
    Triwulan 3 2025 -> September 2025, March 2025 -> Tahun 2025; the newest option when none does."""
    overlapping = (p for p in options if shown and p.start < shown.end and shown.start < p.end)
    return next(overlapping, options[0])


def _region_path(wanted: str | None) -> list[tuple[str, str]]:
    """Draw the cascading region pickers set to ``wanted``, within the user's area (whose levels are
    fixed); returns the chosen path (code, name) from the province."""
    fixed = ancestors(allowed_root()) if allowed_root() else []
    chosen = ancestors(wanted) if wanted else fixed
    path: list[tuple[str, str]] = []
    parent = ""
    for depth, level in enumerate(LEVELS):
        options = query("pages/common/child_regions", parent=parent)
        if depth < len(fixed):
            options = options[options.code == fixed[depth]]
        if options.empty:
            break
        names = dict(zip(options.code, options.name))
        codes = list(options.code) if depth < max(1, len(fixed)) else ["", *options.code]
        wanted_here = chosen[depth] if depth < len(chosen) else None
        st.session_state[region_key(level)] = wanted_here if wanted_here in names else codes[0]
        labels = {c: names.get(c, t("all_areas")) for c in codes}  # resolved now: AppTest formats later
        picked = st.selectbox(t(f"level_{level}"), codes, key=region_key(level), format_func=labels.get,
                              on_change=_region_picked, args=(depth,))
        if not picked:
            break
        path.append((picked, names[picked]))
        parent = picked
    return path


def _period(wanted: str | None, region: str) -> Period | None:
    """Draw the period type and period pickers set to ``wanted`` (by default the latest period complete
    for ``region``), each labelled with how complete it is there; returns the period chosen."""
    months = list(query("pages/common/periods").month.dt.date)
    if not months:
        return None
    current = parse_period(wanted)
    kind_labels = {k: t(f"period_{k}") for k in _KINDS}
    st.session_state[PERIOD_TYPE_KEY] = current.type if current else _KINDS[0]
    kind = st.radio(t("period_type"), _KINDS, key=PERIOD_TYPE_KEY, horizontal=True, format_func=kind_labels.get,
                    on_change=_period_type_picked, args=(months,))
    options = periods_covering(months, kind)
    codes = [p.code for p in options]
    rows = query("pages/common/period_completeness", region=region, period_type=kind)
    st.session_state[PERIOD_KEY] = current.code if current and current.code in codes else default_period(options, rows).code
    by_start = {pd.Timestamp(r["period_start"]).date(): r for r in rows.to_dict("records")}
    labels = {p.code: period_label(p, by_start.get(p.start), language()) for p in options}
    picked = st.selectbox(t("period"), codes, key=PERIOD_KEY, format_func=labels.get, on_change=_period_picked)
    return parse_period(picked)


def filter_bar() -> Filters | None:
    """Draw the filter bar in the sidebar; None when the database has no data to filter yet."""
    state = _url_state()
    with st.sidebar:
        st.subheader(t("filters"))
        path = _region_path(state.get("wilayah") or allowed_root() or settings().default_region)
        period = _period(state.get("periode"), path[-1][0]) if path else None
    if not path or period is None:
        return None
    code, name = path[-1]
    _write_url(wilayah=code, periode=period.code)   # an unknown code or period in a link: what is shown instead
    coverage, before = (completeness(code, p) for p in (period, period.previous))
    return Filters(code, name, LEVELS[len(path) - 1], period, tuple(path), coverage,
                   comparable_previous(period, coverage, before), comparable_months(period, coverage, before))


def completeness(region: str, period: Period) -> dict | None:
    """The area's completeness row for ``period`` (``pages/common/completeness``), None without data."""
    rows = query("pages/common/completeness", region=region, period_type=period.type, period_start=period.start)
    return rows.iloc[0].to_dict() if len(rows) else None


def page_header(title_key: str, page: str) -> Filters:
    """The access check for ``page`` (its url path), the page title, the filter bar, and the place and
    period chosen; stops the page when the session may not see it or there is nothing to show yet."""
    from dashboard.ui.access import require
    from dashboard.ui.data import database_ready

    require(page)
    st.header(t(title_key))
    if not database_ready():
        st.info(t("no_database"))
        st.code(".venv/bin/python -m dashboard import EXPORT.csv EXPORT.xlsx ...", language="bash")
        st.stop()
    filters = filter_bar() if bool(query("pages/common/marts_ready").ready.iloc[0]) else None
    if filters is None:
        st.info(t("no_data_yet"))
        st.stop()
    st.caption(f"{filters.place} · {period_label(filters.period, filters.coverage, language())}")
    if note := coverage_note(filters.coverage, language()):
        st.warning(note, icon="⚠️")
    return filters


def as_of(filters: Filters) -> date:
    """The day a backlog is counted on: the period's last day, or the last day with data if earlier."""
    return backlog_day(filters.period.end)


def backlog_day(period_end: date) -> date:
    """The day before ``period_end`` (first day after a period), or the last day with referral data if earlier."""
    last_event = query("pages/common/data_until").last_event.iloc[0]
    last_event = last_event.date() if hasattr(last_event, "date") else last_event
    return min(period_end - timedelta(days=1), last_event)
