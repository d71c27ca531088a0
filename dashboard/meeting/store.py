"""The decisions store: meetings, their decisions (RTL), dated status updates and an audit trail,
in one SQLite file in WAL mode (``POSYANDU_DECISIONS``, default ``data/decisions.sqlite``, mode 0600).

Why SQLite and not the analytics DuckDB: every import writes a new DuckDB file and swaps it in, so
anything people type there would be lost; SQLite (standard library) gives many readers beside one
writer at a time, transactions, a busy timeout instead of "database is locked", and an online backup.
Each call opens its own connection, so Streamlit's threads and several server processes may use the
store at once; every write is one ``begin immediate`` transaction that also writes its audit row.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from dashboard.config import settings
from dashboard.indicators import labels
from dashboard.meeting.migrations import MIGRATIONS, STATUSES
from dashboard.regions import ancestors, level_of

log = logging.getLogger(__name__)
BUSY_TIMEOUT_MS = 15_000
# Columns an admin may correct (ids, authorship and the status trail are not corrected, only added to).
CORRECTABLE = ("area_code", "indicator", "indicator_period", "baseline_value", "baseline_numerator", "baseline_n",
               "referral_agency", "referral_area", "referral_overdue", "posyandu_id", "action", "agency",
               "person", "due_on")


@dataclass(frozen=True)
class Meeting:
    held_on: date
    area_code: str          # the TP Posyandu's area: its level follows from the code
    period: str
    agencies: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class Decision:
    area_code: str
    action: str
    agency: str
    due_on: date
    person: str = ""
    indicator: str | None = None
    indicator_period: str | None = None
    baseline_value: float | None = None
    baseline_numerator: int | None = None
    baseline_n: int | None = None
    referral_agency: str | None = None
    referral_area: str | None = None
    referral_overdue: int | None = None
    posyandu_id: str | None = None
    status: str = "direncanakan"


class StoreError(ValueError):
    """A record the store refuses, with the field and the reason in words."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check_agency(code: str | None, field_name: str) -> None:
    if code is not None and code not in labels("agency", "id"):
        raise StoreError(f"{field_name}: unknown agency '{code}' (see [labels.agency] in indicators.toml)")


def _check_decision(values: dict) -> None:
    if not str(values.get("action") or "").strip():
        raise StoreError("action: write what will be done")
    if not str(values.get("area_code") or "").strip():
        raise StoreError("area_code: the decision needs an area")
    _check_agency(values.get("agency"), "agency")
    _check_agency(values.get("referral_agency"), "referral_agency")
    if values.get("status", "direncanakan") not in STATUSES:
        raise StoreError(f"status: one of {', '.join(STATUSES)}")


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, date) else date.fromisoformat(str(value)).isoformat()


class DecisionStore:
    """The store at ``path`` (created, private and migrated on first use)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path or settings().decisions_path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))   # private before SQLite writes a byte
        with self._connection() as con:
            con.execute("pragma journal_mode = wal")
            self._migrate(con)

    # --- connections and transactions ---------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            con.row_factory = sqlite3.Row
            con.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
            con.execute("pragma foreign_keys = on")
            yield con
        finally:
            con.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction that takes the write lock at once (waiting up to the busy timeout)."""
        with self._connection() as con:
            con.execute("begin immediate")
            try:
                yield con
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("commit")

    def _migrate(self, con: sqlite3.Connection) -> None:
        con.execute("create table if not exists schema_version (version integer primary key, applied_at text not null)")
        for number in sorted(MIGRATIONS):
            con.execute("begin immediate")
            try:
                if con.execute("select 1 from schema_version where version = ?", (number,)).fetchone() is None:
                    for statement in MIGRATIONS[number]:
                        con.execute(statement)
                    con.execute("insert into schema_version values (?, ?)", (number, _now()))
                    log.info("decisions store %s: migration %d applied", self.path, number)
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("commit")

    def version(self) -> int:
        with self._connection() as con:
            return con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]

    @staticmethod
    def _audit(con: sqlite3.Connection, user: str, action: str, entity: str, entity_id: int,
               before: dict | None, after: dict | None) -> None:
        con.execute("insert into audit (at, user, action, entity, entity_id, before, after) values (?, ?, ?, ?, ?, ?, ?)",
                    (_now(), user, action, entity, entity_id, json.dumps(before, ensure_ascii=False) if before else None,
                     json.dumps(after, ensure_ascii=False) if after else None))

    @staticmethod
    def _row(con: sqlite3.Connection, table: str, key: str, value: int) -> dict | None:
        row = con.execute(f"select * from {table} where {key} = ?", (value,)).fetchone()   # table/key: constants
        return dict(row) if row else None

    # --- writes -------------------------------------------------------------------------------------

    def add_meeting(self, meeting: Meeting, user: str, created_by: str | None = None) -> int:
        if not re.fullmatch(r"\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?", meeting.area_code):
            raise StoreError(f"area_code: '{meeting.area_code}' is not a Kemendagri code such as 36.04")
        for code in meeting.agencies:
            _check_agency(code, "agencies")
        with self._write() as con:
            cursor = con.execute(
                "insert into meetings (held_on, level, area_code, period, agencies, notes, created_by, created_at) "
                "values (?, ?, ?, ?, ?, ?, ?, ?)",
                (_iso(meeting.held_on), level_of(meeting.area_code), meeting.area_code, meeting.period,
                 json.dumps(list(meeting.agencies)), meeting.notes, created_by or user, _now()))
            meeting_id = cursor.lastrowid
            self._audit(con, user, "create", "meeting", meeting_id, None, self._row(con, "meetings", "meeting_id", meeting_id))
        return meeting_id

    def add_decision(self, meeting_id: int, decision: Decision, user: str) -> int:
        values = asdict(decision)
        _check_decision(values)
        values["due_on"] = _iso(values["due_on"])
        values["action"] = values["action"].strip()
        now = _now()
        columns = ["meeting_id", *values, "created_by", "created_at", "updated_at"]
        with self._write() as con:
            if self._row(con, "meetings", "meeting_id", meeting_id) is None:
                raise StoreError(f"meeting {meeting_id} does not exist")
            cursor = con.execute(f"insert into decisions ({', '.join(columns)}) values ({', '.join('?' * len(columns))})",
                                 (meeting_id, *values.values(), user, now, now))
            decision_id = cursor.lastrowid
            self._audit(con, user, "create", "decision", decision_id, None,
                        self._row(con, "decisions", "decision_id", decision_id))
        return decision_id

    def update_status(self, decision_id: int, status: str, note: str, on: date, user: str) -> None:
        """A dated status change with a short note (kept as its own row; the decision shows the latest)."""
        if status not in STATUSES:
            raise StoreError(f"status: one of {', '.join(STATUSES)}")
        with self._write() as con:
            before = self._row(con, "decisions", "decision_id", decision_id)
            if before is None:
                raise StoreError(f"decision {decision_id} does not exist")
            con.execute("insert into decision_updates (decision_id, updated_on, status, note, created_by, created_at) "
                        "values (?, ?, ?, ?, ?, ?)", (decision_id, _iso(on), status, note.strip(), user, _now()))
            con.execute("update decisions set status = ?, updated_at = ? where decision_id = ?",
                        (status, _now(), decision_id))
            after = self._row(con, "decisions", "decision_id", decision_id)
            self._audit(con, user, "update_status", "decision", decision_id, before, after | {"note": note.strip()})

    def correct_decision(self, decision_id: int, changes: dict, user: str) -> None:
        """An admin's correction of recorded fields; the row before and after go to the audit trail."""
        unknown = set(changes) - set(CORRECTABLE)
        if unknown:
            raise StoreError(f"cannot correct {', '.join(sorted(unknown))}")
        with self._write() as con:
            before = self._row(con, "decisions", "decision_id", decision_id)
            if before is None:
                raise StoreError(f"decision {decision_id} does not exist")
            merged = before | changes
            _check_decision(merged)
            if "due_on" in changes:
                changes = changes | {"due_on": _iso(changes["due_on"])}
            assignments = ", ".join(f"{column} = ?" for column in changes)   # columns from CORRECTABLE only
            con.execute(f"update decisions set {assignments}, updated_at = ? where decision_id = ?",
                        (*changes.values(), _now(), decision_id))
            self._audit(con, user, "correct", "decision", decision_id, before,
                        self._row(con, "decisions", "decision_id", decision_id))

    def delete_decision(self, decision_id: int, user: str) -> None:
        """An admin's deletion: the row and its updates go; the trail keeps the whole row."""
        with self._write() as con:
            before = self._row(con, "decisions", "decision_id", decision_id)
            if before is None:
                raise StoreError(f"decision {decision_id} does not exist")
            updates = [dict(r) for r in con.execute("select * from decision_updates where decision_id = ?", (decision_id,))]
            con.execute("delete from decisions where decision_id = ?", (decision_id,))
            self._audit(con, user, "delete", "decision", decision_id, before | {"updates": updates}, None)

    # --- reads --------------------------------------------------------------------------------------

    def _frame(self, sql: str, params: tuple = ()) -> pd.DataFrame:
        with self._connection() as con:
            return pd.read_sql_query(sql, con, params=params)

    def meetings(self, area_code: str | None = None, above: bool = False) -> pd.DataFrame:
        """Meetings held for an area (and, with ``above``, for the areas it lies in: a province meeting
        still records a village's decision), all when None; newest first."""
        codes = (ancestors(area_code) if above else [area_code]) if area_code else []
        where = f"where area_code in ({', '.join('?' * len(codes))})" if codes else ""
        return self._frame(f"select * from meetings {where} order by held_on desc, meeting_id desc", tuple(codes))

    def meeting(self, meeting_id: int) -> dict | None:
        with self._connection() as con:
            return self._row(con, "meetings", "meeting_id", meeting_id)

    def last_meeting(self, area_code: str, before: date) -> dict | None:
        """The latest meeting of exactly this area held before a day (the one the next meeting opens with)."""
        with self._connection() as con:
            row = con.execute("select * from meetings where area_code = ? and held_on < ? "
                              "order by held_on desc, meeting_id desc limit 1", (area_code, _iso(before))).fetchone()
        return dict(row) if row else None

    def decisions(self, area_code: str | None = None, below: bool = True, agency: str | None = None,
                  meeting_id: int | None = None) -> pd.DataFrame:
        """Decisions with their meeting's date and area: of an area (and the areas below it), an agency,
        or a meeting; sorted by due date."""
        clauses, params = [], []
        if area_code:
            clauses.append("(d.area_code = ? or d.area_code like ?)" if below else "d.area_code = ?")
            params += [area_code, area_code + ".%"] if below else [area_code]
        if agency:
            clauses.append("d.agency = ?")
            params.append(agency)
        if meeting_id is not None:
            clauses.append("d.meeting_id = ?")
            params.append(meeting_id)
        where = ("where " + " and ".join(clauses)) if clauses else ""
        return self._frame(
            "select d.*, m.held_on as meeting_on, m.area_code as meeting_area, m.period as meeting_period, "
            "(select max(u.updated_on) from decision_updates u where u.decision_id = d.decision_id) as last_update_on "
            f"from decisions d join meetings m using (meeting_id) {where} order by d.due_on, d.decision_id",
            tuple(params))

    def updates(self, decision_id: int) -> pd.DataFrame:
        return self._frame("select * from decision_updates where decision_id = ? order by updated_on, update_id",
                           (decision_id,))

    def audit(self, entity: str | None = None, entity_id: int | None = None, limit: int = 200) -> pd.DataFrame:
        """The trail, newest first: who changed what and when."""
        clauses, params = [], []
        if entity:
            clauses.append("entity = ?")
            params.append(entity)
        if entity_id is not None:
            clauses.append("entity_id = ?")
            params.append(entity_id)
        where = ("where " + " and ".join(clauses)) if clauses else ""
        return self._frame(f"select * from audit {where} order by audit_id desc limit ?", (*params, limit))

    # --- backup -------------------------------------------------------------------------------------

    def backup(self, out: Path) -> Path:
        """A consistent copy while others keep writing (SQLite's online backup API), mode 0600."""
        out = Path(out)
        if out.exists():
            raise StoreError(f"{out} exists already: choose a new file name")
        out.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(out, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600))
        with self._connection() as con, closing(sqlite3.connect(out)) as target:
            con.backup(target)
        return out
