"""The one filter bar shared by every page: region drill-down (provinsi -> kab/kota -> kecamatan ->
desa) and period, kept in the URL (``?wilayah=36.04&periode=2026``) so a view can be shared.

Streamlit forgets widget values on a page switch, so the URL (mirrored in session state as two
short strings) is the source of truth and the widgets are redrawn from it on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from dashboard.periods import Period, parse_period, periods_covering
from dashboard.regions import CHILD_LEVEL, LEVELS, ancestors
from dashboard.ui.access import allowed_root
from dashboard.ui.data import query
from dashboard.ui.text import language, t

_KEYS = ("wilayah", "periode")


@dataclass(frozen=True)
class Filters:
    region_code: str
    region_name: str
    level: str
    period: Period
    path: tuple[tuple[str, str], ...]   # (code, name) from the province down to the region

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


def _region_path(wanted: str | None) -> list[tuple[str, str]]:
    """Draw the cascading region pickers; returns the chosen path (code, name) from the province."""
    fixed = ancestors(allowed_root()) if allowed_root() else []   # the levels a user's area fixes
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
        current = chosen[depth] if depth < len(chosen) and chosen[depth] in names else codes[0]
        labels = {c: names.get(c, t("all_areas")) for c in codes}  # resolved now: AppTest formats later
        picked = st.selectbox(t(f"level_{level}"), codes, index=codes.index(current), format_func=labels.get)
        if not picked:
            break
        path.append((picked, names[picked]))
        parent = picked
    return path


def _period(wanted: str | None) -> Period | None:
    months = list(query("pages/common/periods").month.dt.date)
    if not months:
        return None
    current = parse_period(wanted)
    kinds = ["year", "quarter", "month"]
    kind_labels = {k: t(f"period_{k}") for k in kinds}
    kind = st.radio(t("period_type"), kinds, index=kinds.index(current.type) if current else 0, horizontal=True,
                    format_func=kind_labels.get)
    options = periods_covering(months, kind)
    codes = [p.code for p in options]
    code = current.code if current and current.code in codes else codes[0]
    labels = {p.code: p.label(language()) for p in options}
    picked = st.selectbox(t("period"), codes, index=codes.index(code), format_func=labels.get)
    return parse_period(picked)


def filter_bar() -> Filters | None:
    """Draw the filter bar in the sidebar; None when the database has no data to filter yet."""
    state = _url_state()
    with st.sidebar:
        st.subheader(t("filters"))
        path = _region_path(state.get("wilayah"))
        period = _period(state.get("periode")) if path else None
    if not path or period is None:
        return None
    code, name = path[-1]
    wanted = {"wilayah": code, "periode": period.code}
    st.session_state["filter_url"] = wanted
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value
    return Filters(code, name, LEVELS[len(path) - 1], period, tuple(path))


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
    st.caption(f"{filters.place} · {filters.period.label(language())}")
    return filters


def as_of(filters: Filters) -> date:
    """The day a backlog is counted on: the period's last day, or the last day with data if earlier."""
    return backlog_day(filters.period.end)


def backlog_day(period_end: date) -> date:
    """The day before ``period_end`` (first day after a period), or the last day with referral data if earlier."""
    last_event = query("pages/common/data_until").last_event.iloc[0]
    last_event = last_event.date() if hasattr(last_event, "date") else last_event
    return min(period_end - timedelta(days=1), last_event)
