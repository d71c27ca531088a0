"""What each dataset does beyond its columns: the hooks ``dashboard.ingest.datasets`` declares.

- ``validate(check)``: row rules after parsing (ranges, date order, required values); ``check``
  is the validate stage's ``RowCheck`` (the parsed frame, ``flag(mask, column, code)``).
- ``derive(frame) -> frame``: columns computed from the good rows before they are stored.
- ``after_load(con, rows, batch_id)``: what else is written from the stored rows (posyandu named
  by other datasets, the dated steps of each referral).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd

from dashboard.config import settings
from dashboard.ingest.vocab import STATUS_ORDER

if TYPE_CHECKING:
    from dashboard.ingest.validate import RowCheck

STATUS_DATES = {"diterima": "received_on", "ditindaklanjuti": "followed_up_on", "selesai": "closed_on",
                "ditolak": "refused_on", "batal": "cancelled_on"}


# --- validate -------------------------------------------------------------------------------------

def measurement_rules(check: RowCheck) -> None:
    """Plausible ranges, at least one measurement, no future dates, born before measured, under the age limit."""
    cfg, frame = settings(), check.frame
    for column, (low, high), code in (("weight_kg", cfg.weight_kg_range, "weight_range"),
                                      ("lenhei_cm", cfg.lenhei_cm_range, "lenhei_range"),
                                      ("muac_cm", cfg.muac_cm_range, "muac_range")):
        if column in frame:
            values = frame[column].astype("float64")
            check.flag(values.notna() & ~values.between(low, high), column, code)
    weight = frame.get("weight_kg", pd.Series(np.nan, index=frame.index))
    lenhei = frame.get("lenhei_cm", pd.Series(np.nan, index=frame.index))
    check.flag(weight.isna() & lenhei.isna() & ~check.bad_rows(), "", "no_measurement")
    measured = pd.to_datetime(frame["measured_on"])
    check.flag(measured > pd.Timestamp(check.today), "measured_on", "date_future")
    if "birth_date" in frame:
        born = pd.to_datetime(frame["birth_date"])
        check.flag(born > measured, "birth_date", "birth_after_measure")
        check.flag(born < measured - pd.DateOffset(years=cfg.max_child_age_years), "birth_date", "too_old")


def period_rules(column: str):
    """Reports for a month: the month is not in the future, and some month (or year) is given."""

    def rules(check: RowCheck) -> None:
        if column in check.frame:
            check.flag(pd.to_datetime(check.frame[column]) > pd.Timestamp(check.today), column, "date_future")
        elif "year" not in check.mapped.positions:
            check.flag(pd.Series(True, index=check.frame.index), "", "required")

    return rules


def referral_rules(check: RowCheck) -> None:
    """Status dates after the referral and not in the future; a given status has its date."""
    frame, today = check.frame, pd.Timestamp(check.today)
    referred = pd.to_datetime(frame["referred_on"])
    check.flag(referred > today, "referred_on", "date_future")
    for column in STATUS_DATES.values():
        if column in frame:
            when = pd.to_datetime(frame[column])
            check.flag(when < referred, column, "status_date_order")
            check.flag(when > today, column, "date_future")
    if "status" in frame:
        for code, column in STATUS_DATES.items():
            has_date = frame[column].notna() if column in frame else pd.Series(False, index=frame.index)
            check.flag((frame["status"] == code) & ~has_date, "status", "status_date_missing")


# --- derive ---------------------------------------------------------------------------------------

def referral_status(frame: pd.DataFrame) -> pd.DataFrame:
    """Current status = the given status, else the latest dated step; its date is status_on."""
    dates = pd.DataFrame({"dirujuk": pd.to_datetime(frame["referred_on"])}, index=frame.index)
    for code, column in STATUS_DATES.items():
        dates[code] = pd.to_datetime(frame[column]) if column in frame else pd.NaT
    latest = (dates[list(STATUS_ORDER)].apply(lambda r: r.last_valid_index(), axis=1) if len(dates)
              else pd.Series(dtype=object))
    status = frame["status"].where(frame["status"].notna(), latest) if "status" in frame else latest
    frame = frame.assign(status=status)
    status_on = [dates.at[i, s] if isinstance(s, str) else pd.NaT for i, s in zip(frame.index, status)]
    frame["status_on"] = pd.to_datetime(pd.Series(status_on, index=frame.index)).dt.date
    return frame


def age_check(frame: pd.DataFrame) -> pd.DataFrame:
    """Flag rows whose birth and measurement dates disagree with the reported age by more than a month."""
    if "reported_age_days" not in frame or "birth_date" not in frame:
        return frame
    computed = (pd.to_datetime(frame["measured_on"]) - pd.to_datetime(frame["birth_date"])).dt.days
    difference = (computed - frame["reported_age_days"].astype("float64")).abs()
    return frame.assign(age_disagrees=(difference > 31).astype("boolean").where(difference.notna()))


def posyandu_name(frame: pd.DataFrame) -> pd.DataFrame:
    """The register's ``name`` is the posyandu name as written."""
    return frame.assign(name=frame.get("posyandu_name"))


def blank_key_parts(columns: tuple[str, ...]):
    """Natural-key parts a recap above that level leaves empty are stored as '' (keys cannot be null)."""

    def derive(frame: pd.DataFrame) -> pd.DataFrame:
        present = {c: frame[c].map(lambda v: v if isinstance(v, str) else "") if c in frame else ""
                   for c in columns}
        return frame.assign(**present)

    return derive


# --- after_load -----------------------------------------------------------------------------------

def register_posyandu(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, batch_id: int) -> None:
    """Posyandu named by other datasets join the register if they are not in it yet."""
    if "posyandu_id" not in rows:
        return
    named = rows[rows["posyandu_id"].notna()]
    fresh = pd.DataFrame({
        "posyandu_id": named["posyandu_id"],
        "name": named["posyandu_name"] if "posyandu_name" in named else None,
        "village_code": named["village_code"],
        "register_no": named["register_no"] if "register_no" in named else None,
        "rw": None,
        "batch_id": batch_id,
    }).drop_duplicates("posyandu_id")
    con.register("stage_posyandu", fresh)
    con.execute("insert into posyandu by name select * from stage_posyandu s "
                "where s.posyandu_id not in (select posyandu_id from posyandu)")
    con.unregister("stage_posyandu")


def replace_referral_events(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, batch_id: int) -> None:
    """The dated steps of each stored referral replace its earlier steps."""
    parts = [pd.DataFrame({"referral_id": rows["referral_id"], "status": "dirujuk", "event_on": rows["referred_on"]})]
    for code, column in STATUS_DATES.items():
        if column in rows:
            dated = rows[rows[column].notna()]
            parts.append(pd.DataFrame({"referral_id": dated["referral_id"], "status": code, "event_on": dated[column]}))
    events = pd.concat(parts, ignore_index=True).assign(batch_id=batch_id)
    con.register("stage_ids", rows[["referral_id"]])
    con.execute("delete from referral_events where referral_id in (select referral_id from stage_ids)")
    con.unregister("stage_ids")
    con.register("stage_events", events)
    con.execute("insert into referral_events by name select * from stage_events")
    con.unregister("stage_events")
