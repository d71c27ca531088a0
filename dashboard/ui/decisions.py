"""Streamlit parts of the meetings' decisions (issue 18): the store shared by the server's sessions,
area names for tables, and the "follow-up of the last meeting" section that opens the meeting page."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import format as fmt
from dashboard.access import audit
from dashboard.briefing_pdf import Minutes
from dashboard.config import settings
from dashboard.indicators import label
from dashboard.meeting.exports import day_text, status_text
from dashboard.meeting.review import OpeningReview, opening_review, referrals_by_agency_table
from dashboard.meeting.review import open_decisions_table as review_table
from dashboard.meeting.store import DecisionStore, StoreError
from dashboard.periods import parse_period
from dashboard.ui import components as ui
from dashboard.access import within
from dashboard.ui.access import allowed_root, current_user
from dashboard.ui.data import query
from dashboard.ui.filters import Filters, as_of
from dashboard.ui.text import language, t

log = logging.getLogger(__name__)
MAX_REVIEW_ROWS = 2       # open decisions on the presentation's first slide, so it fits a 1366x900 screen (the rest: the page and the PDF)


@st.cache_resource(max_entries=4)
def _store(path: str) -> DecisionStore:
    return DecisionStore(path)


def store() -> DecisionStore:
    """The decisions store (opened and migrated once per file); stops the page with a plain message
    when it cannot be opened (the reason goes to the log, not to the reader)."""
    try:
        return _store(str(settings().decisions_path))
    except Exception:  # noqa: BLE001 - any failure to open is told the same way
        log.exception("decisions store %s cannot be opened", settings().decisions_path)
        st.error(t("mtg_store_unavailable"))
        st.stop()


def decisions(area_code: str | None = None, below: bool = True, agency: str | None = None,
              meeting_id: int | None = None) -> pd.DataFrame:
    """The store's decisions (``DecisionStore.decisions``) less those outside the user's area
    (``ui.access.allowed_root``): a meeting of an area above still lists only the user's share of it."""
    found = store().decisions(area_code, below=below, agency=agency, meeting_id=meeting_id)
    root = allowed_root()
    return found.loc[found.area_code.map(lambda code: within(root, code)).astype(bool)].reset_index(drop=True)


def area_names(codes) -> dict[str, str]:
    """Region code -> name for the codes given (codes not in the region list read as themselves)."""
    codes = sorted({c for c in codes if isinstance(c, str)})
    if not codes:
        return {}
    names = query("pages/keputusan/area_names", codes=codes)
    return dict(zip(names.code, names.name))


def today() -> date:
    return date.today()


def review(f: Filters) -> OpeningReview:
    return opening_review(store(), query, f.region_code, f.period, as_of(f), today())


def pdf_review(f: Filters) -> OpeningReview | None:
    """The review that opens the PDF, as slide 1 shows it; None before anything was ever recorded."""
    return review(f) if settings().decisions_path.exists() else None


def meeting_minutes(f: Filters) -> Minutes | None:
    """The minutes that end the PDF: the newest meeting recorded for this area reviewing this period (the
    meeting being held), with its decisions; None when it has not been recorded yet."""
    if not settings().decisions_path.exists():
        return None
    held = store().meetings(f.region_code)
    held = held[held.period == f.period.code]
    if held.empty:
        return None
    meeting = store().meeting(int(held.meeting_id.iloc[0]))       # newest first
    found = decisions(meeting_id=meeting["meeting_id"])
    return Minutes(meeting, found, area_names([*found.area_code, meeting["area_code"]]))


def review_section(f: Filters, table_height: int | str = "auto") -> None:
    """The slide that opens a meeting: the last meeting's open decisions (overdue first) with their
    movement, and overdue referrals new since it vs still stuck since it, by agency. The counts are one
    line of text, not metrics, so the briefing's own headline tiles stay the slide's tiles."""
    lang = language()
    with st.container(key="meeting_review", border=True):
        st.subheader(t("mtg_review_title"))
        if not settings().decisions_path.exists():     # no store yet: nothing was ever recorded (and none is made here)
            st.caption(f"{t('mtg_review_first')} {t('mtg_to_decisions')}")
            return
        found = review(f)
        if found.last_meeting:
            reviewed = parse_period(found.last_meeting["period"])
            st.caption(t("mtg_review_since").format(day=day_text(found.last_meeting["held_on"], lang),
                                                    period=reviewed.label(lang) if reviewed else found.last_meeting["period"],
                                                    as_of=day_text(found.as_of, lang)))
        else:
            st.caption(t("mtg_review_first"))
        counts = ((t("mtg_open_decisions"), len(found.decisions)),
                  (t("mtg_overdue_decisions"), int(found.decisions.overdue.sum())),
                  (t("mtg_new_since"), found.new_referrals), (t("mtg_stuck_since"), found.stuck_referrals))
        st.markdown(" · ".join(f"{name}: **{fmt.count(n, lang)}**" for name, n in counts),
                    help=f"{t('mtg_new_since_help')} {t('mtg_stuck_since_help')}")
        scope = (f.region_name, f.period.label(lang), f"{f.region_code}_{f.period.code}")
        decisions, referrals = st.columns([2, 1])
        with decisions:
            if found.decisions.empty:
                st.caption(t("mtg_no_open_decisions"))
            else:     # a slide: plain text that wraps (the movement column stays in view), overdue first
                shown = found.decisions if table_height == "auto" else found.decisions.head(MAX_REVIEW_ROWS)
                st.table(open_decisions_table(shown, lang).set_index(t("mtg_area")))
                if len(shown) < len(found.decisions):
                    st.caption(t("share_more").format(n=fmt.count(len(found.decisions) - len(shown), lang)))
        by_agency = referrals_by_agency_table(found, lang)
        with referrals:
            if not by_agency.empty:
                st.markdown(f"**{t('mtg_by_agency')}**")
                ui.table(by_agency, "rapat_rujukan_per_instansi", "review_referrals", scope=scope,
                         height=_bounded(table_height, len(by_agency)))
        st.caption(t("mtg_to_decisions"))


def _bounded(height: int | str, rows: int) -> int | str:
    """A table's height in pixels: at most ``height``, less when its rows need less (35 px a row and the
    heading); "auto" stays Streamlit's."""
    return height if isinstance(height, str) else min(height, 35 * (rows + 1) + 3)


def open_decisions_table(decisions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Open decisions as the meeting reads them (``meeting.review.open_decisions_table``, shared with the PDF)."""
    return review_table(decisions, lang)


def flash(message: str | None = None) -> None:
    """Keep a message for the next run (a form's success survives the rerun that shows the new row), or show it."""
    if message is not None:
        st.session_state["mtg_flash"] = message
    elif (kept := st.session_state.pop("mtg_flash", None)) is not None:
        st.success(kept)


def audit_table(trail: pd.DataFrame, region: str, lang: str) -> pd.DataFrame:
    """The trail of the meetings and decisions of an area (and below) as sentences: when, who, what changed."""
    rows = []
    for entry in trail.itertuples():
        before = json.loads(entry.before) if isinstance(entry.before, str) else {}
        after = json.loads(entry.after) if isinstance(entry.after, str) else {}
        area = (after or before).get("area_code", "")
        if not (area == region or area.startswith(region + ".")):
            continue
        rows.append({t("mtg_when"): entry.at.replace("T", " ")[:16], t("mtg_who"): entry.user,
                     t("mtg_what"): f"{t('mtg_entity_' + entry.entity)} #{entry.entity_id} "
                                    f"{t('mtg_audit_' + entry.action)}: {_change_text(entry.action, before, after, lang)}"})
    return pd.DataFrame(rows, columns=[t("mtg_when"), t("mtg_who"), t("mtg_what")])


# The corrected fields as people call them (the audit keeps the stored names).
FIELD_LABELS = {"area_code": "mtg_area", "action": "mtg_action", "agency": "mtg_responsible_agency",
                "person": "mtg_person", "due_on": "mtg_due_on", "indicator": "mtg_indicator",
                "referral_agency": "mtg_referrals", "posyandu_id": "mtg_posyandu"}


def _field_text(field: str, value, lang: str) -> str:
    if value is None or value == "":
        return fmt.MISSING
    if field in ("agency", "referral_agency"):
        return label("agency", value, lang)
    if field == "due_on":
        return day_text(value, lang)
    return str(value)


def _change_text(action: str, before: dict, after: dict, lang: str) -> str:
    if action == "update_status":
        note = f" ({after['note']})" if after.get("note") else ""
        return f"{status_text(before['status'], lang)} → {status_text(after['status'], lang)}{note}"
    if action == "correct":
        changed = [k for k in FIELD_LABELS if after.get(k) != before.get(k)]
        return "; ".join(f"{t(FIELD_LABELS[k])}: {_field_text(k, before.get(k), lang)} → {_field_text(k, after.get(k), lang)}"
                         for k in changed)
    row = after or before
    return row.get("action") or row.get("notes") or row.get("period", "")


def baseline(area: str, f: Filters, indicator: str, referrals: str) -> dict:
    """What a decision responds to, with its value and n at the time, from the pages' named queries:
    the indicator in the filter's period (the Ringkasan query) and the overdue referrals on its backlog day."""
    values: dict = {}
    if indicator:
        period = f.period
        found = query("pages/ringkasan/prevalence", region=area, period_type=period.type, period_start=period.start,
                      previous_start=period.previous.start).set_index("indicator")
        row = found.loc[indicator] if indicator in found.index else None
        measured = row is not None and not pd.isna(row.prevalence)
        values |= {"indicator": indicator, "indicator_period": period.code,
                   "baseline_value": float(row.prevalence) if measured else None,
                   "baseline_numerator": int(row.numerator) if measured else None,
                   "baseline_n": int(row.denominator) if measured else None}
    if referrals:
        day = as_of(f)
        overdue = query("pages/keputusan/overdue_since", region=area, as_of=day, since=day)
        if referrals != "__area__":
            overdue = overdue[overdue.destination_agency == referrals]
            values["referral_agency"] = referrals
        else:
            values["referral_area"] = area
        values["referral_overdue"] = int(overdue.referrals.sum())
    return values


def saved(write: Callable[[], object], done: str, detail: str | Callable[[object], str] = "") -> bool:
    """Run one write to the store: on success note it in the access audit trail (``decision_changed``
    with ``detail``: ids, areas, agencies and statuses only, never names or typed text; a callable gets
    what the write returned, e.g. the new id), keep ``done`` for the next run and rerun; a record the
    store refuses is said in words, any other failure (disk full, locked past the timeout) is logged."""
    try:
        result = write()
    except StoreError as error:
        st.error(t("mtg_save_failed").format(reason=error))
        return False
    except sqlite3.Error:
        log.exception("decisions store write failed")
        st.error(t("mtg_store_unavailable"))
        return False
    audit.record(current_user(), "decision_changed", detail(result) if callable(detail) else detail)
    flash(done)
    st.rerun()
    return True
