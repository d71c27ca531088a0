"""The next meeting opens with the last one: for an area, the open decisions of this area and the
areas below it (overdue first), each with the movement of its indicator since the decision
(baseline -> now, with n), and the overdue referrals split into "baru sejak rapat lalu" (not yet
overdue at the last meeting, or opened after it) and "masih macet sejak rapat lalu" (already overdue
then, still open now).

Decisions come from the decisions store; everything counted comes from the pages' named queries
(``ask(name, **params)``, e.g. ``dashboard.ui.data.query``), so the review reads the analytics
database as it is after the latest import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboard import format as fmt
from dashboard import indicators
from dashboard.i18n import phrase
from dashboard.indicators import catalogue
from dashboard.meeting.migrations import OPEN_STATUSES
from dashboard.meeting.store import DecisionStore
from dashboard.periods import Period, parse_period

Ask = Callable[..., pd.DataFrame]


@dataclass(frozen=True)
class OpeningReview:
    region_code: str
    as_of: date                      # the backlog day of the meeting now
    last_meeting: dict | None        # the last meeting of this area (None: this is the first one recorded)
    decisions: pd.DataFrame          # open decisions, overdue first, with baseline and now
    referrals: pd.DataFrame          # overdue referrals by agency x village x stuck_since_last

    @property
    def new_referrals(self) -> int:
        return int(self.referrals.loc[~self.referrals.stuck_since_last, "referrals"].sum())

    @property
    def stuck_referrals(self) -> int:
        return int(self.referrals.loc[self.referrals.stuck_since_last, "referrals"].sum())

    def referrals_by_agency(self) -> pd.DataFrame:
        """Per receiving agency: overdue referrals new since the last meeting, still stuck since it, and the oldest age."""
        frame = self.referrals.assign(new=lambda f: f.referrals.where(~f.stuck_since_last, 0),
                                      stuck=lambda f: f.referrals.where(f.stuck_since_last, 0))
        return (frame.groupby("destination_agency", as_index=False)
                .agg(new=("new", "sum"), stuck=("stuck", "sum"), oldest_days=("oldest_days", "max"))
                .sort_values(["stuck", "new"], ascending=False, ignore_index=True))


def opening_review(store: DecisionStore, ask: Ask, region_code: str, period: Period, as_of: date,
                   today: date) -> OpeningReview:
    """The review that opens a meeting of ``region_code`` reviewing ``period`` (backlog counted on ``as_of``)."""
    last = store.last_meeting(region_code, today)   # before today: today's meeting, once recorded, is this one
    since = min(date.fromisoformat(last["held_on"]), as_of) if last else None
    # Without a last meeting nothing can be "still stuck since it": every overdue referral is new.
    referrals = ask("pages/keputusan/overdue_since", region=region_code, as_of=as_of, since=since or date(1900, 1, 1))
    decisions = store.decisions(region_code, below=True)
    decisions = decisions[decisions.status.isin(OPEN_STATUSES)].reset_index(drop=True)
    months = pd.to_datetime(ask("pages/common/periods").month).dt.date
    data_end = Period("month", max(months)).end if len(months) else period.end
    decisions = _with_movement(decisions, referrals, ask, min(period.end, data_end), today)
    return OpeningReview(region_code, as_of, last, decisions, referrals)


def _with_movement(decisions: pd.DataFrame, referrals: pd.DataFrame, ask: Ask, until: date,
                   today: date) -> pd.DataFrame:
    due = pd.to_datetime(decisions.due_on).dt.date
    frame = decisions.assign(overdue=due < today, days_overdue=[(today - d).days for d in due])
    now = [_indicator_now(ask, row, until) for row in frame.itertuples()]
    frame = frame.assign(now_period=[n[0] for n in now], now_value=[n[1] for n in now],
                         now_numerator=[n[2] for n in now], now_n=[n[3] for n in now],
                         referral_overdue_now=[_overdue_now(referrals, row) for row in frame.itertuples()])
    names = ask("pages/keputusan/area_names", codes=sorted(set(frame.area_code)) or [""])
    frame = frame.merge(names.rename(columns={"code": "area_code", "name": "area_name"})[["area_code", "area_name"]],
                        on="area_code", how="left")
    return frame.sort_values(["overdue", "due_on", "decision_id"], ascending=[False, True, True], ignore_index=True)


def _indicator_now(ask: Ask, row, until: date) -> tuple:
    """(period code, value, numerator, n) of the decision's indicator in the latest complete period of
    its baseline's type ending by ``until`` (the period reviewed now, or the data's end if sooner);
    Nones when it has no indicator or no data."""
    baseline = parse_period(row.indicator_period) if isinstance(row.indicator_period, str) else None
    if not isinstance(row.indicator, str) or baseline is None:
        return None, None, None, None
    found = ask("pages/keputusan/indicator_latest", region=row.area_code, indicator=row.indicator,
                period_type=baseline.type, latest_start=_period_start(baseline.type, until))
    if found.empty:
        return None, None, None, None
    latest = found.iloc[0]
    start = pd.Timestamp(latest.period_start).date()
    return (Period(baseline.type, start).code, float(latest.prevalence), int(latest.numerator),
            int(latest.denominator))


def _period_start(period_type: str, until: date) -> date:
    """The first day of the latest period of ``period_type`` that ends on or before ``until``."""
    last_day = until - timedelta(days=1)
    if period_type == "rolling":     # twelve months ending with the last month that ends by ``until``
        ending = parse_period(f"12m-{last_day.year}-{last_day.month:02d}")
        return ending.start if ending.end <= until else (pd.Timestamp(ending.start) - pd.DateOffset(months=1)).date()
    months = {"year": 12, "quarter": 3, "month": 1}[period_type]
    containing = Period(period_type, date(last_day.year, (last_day.month - 1) // months * months + 1, 1))
    return containing.start if containing.end <= until else containing.previous.start


def _overdue_now(referrals: pd.DataFrame, row) -> int | None:
    """Overdue referrals now of the agency (and area) a decision responds to; None when it responds to none."""
    if not isinstance(row.referral_agency, str) and not isinstance(row.referral_area, str):
        return None
    area = row.referral_area if isinstance(row.referral_area, str) else row.area_code
    mine = referrals[referrals.village_code.str.startswith(area)]
    if isinstance(row.referral_agency, str):
        mine = mine[mine.destination_agency == row.referral_agency]
    return int(mine.referrals.sum())


def indicator_name(name: str, lang: str) -> str:
    """The catalogue's name of a prevalence indicator (the code itself when the catalogue lost it)."""
    return indicators.name("prevalence", name, lang) if name in catalogue()["prevalence"] else name


def movement_text(row, lang: str) -> str:
    """"24,5% (n 200) → 21,3% (n 189)" for an indicator; "7 → 3 lewat SLA" for referrals; "" for neither."""
    parts = []
    if isinstance(row.indicator, str) and not pd.isna(row.baseline_value):
        now = (f"{fmt.percent(row.now_value, lang)} (n {fmt.count(row.now_n, lang)})"
               if not pd.isna(row.now_value) else fmt.MISSING)
        parts.append(f"{indicator_name(row.indicator, lang)} {fmt.percent(row.baseline_value, lang)} "
                     f"(n {fmt.count(row.baseline_n, lang)}) → {now}")
    if not pd.isna(row.referral_overdue_now):
        parts.append(f"{fmt.count(row.referral_overdue, lang)} → {fmt.count(row.referral_overdue_now, lang)} "
                     f"{phrase('mtg_overdue_referrals', lang)}")
    return "; ".join(parts)


def open_decisions_table(decisions: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Open decisions as the meeting reads them (the first slide and the PDF's first page): area, action,
    agency, due date (and how late), status, movement."""
    from dashboard.meeting.exports import day_text, status_text    # exports imports this module

    p = lambda key: phrase(key, lang)  # noqa: E731 - a short alias for the column headings
    return pd.DataFrame({
        p("mtg_area"): [n if isinstance(n, str) else c for n, c in zip(decisions.area_name, decisions.area_code)],
        p("mtg_action"): decisions.action.to_numpy(),
        p("mtg_responsible_agency"): [indicators.label("agency", a, lang) for a in decisions.agency],
        p("mtg_due_on"): [day_text(d, lang) + (f" ({p('mtg_days_overdue').format(days=fmt.count(n, lang))})"
                                               if late else "")
                          for d, n, late in zip(decisions.due_on, decisions.days_overdue, decisions.overdue)],
        p("mtg_status"): [status_text(s, lang) for s in decisions.status],
        p("mtg_movement"): [movement_text(r, lang) for r in decisions.itertuples()],
    })


def referrals_by_agency_table(review: OpeningReview, lang: str) -> pd.DataFrame:
    """Overdue referrals by receiving agency, new since the last meeting vs still stuck, with the oldest age."""
    by_agency = review.referrals_by_agency()
    return pd.DataFrame({
        phrase("mtg_pick_agency", lang): [indicators.label("agency", a, lang) for a in by_agency.destination_agency],
        phrase("mtg_new_since", lang): by_agency.new.to_numpy(), phrase("mtg_stuck_since", lang): by_agency.stuck.to_numpy(),
        phrase("mtg_oldest_days", lang): by_agency.oldest_days.to_numpy()})
