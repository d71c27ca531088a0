"""The decisions store on real SQLite files: migrations, WAL and privacy of the file, transactions,
concurrent writers (threads and processes), the audit trail, and a backup that restores."""

from __future__ import annotations

import multiprocessing
import sqlite3
import stat
import threading
from datetime import date

import pandas as pd
import pytest

from dashboard.meeting.migrations import MIGRATIONS
from dashboard.meeting.store import Decision, DecisionStore, Meeting, StoreError

MEETING = Meeting(date(2026, 8, 10), "36.04", "2026-Q2", ("dinas_kesehatan", "dinas_sosial"), "catatan")


def decision(**changes) -> Decision:
    values = dict(area_code="36.04.15", action="Kunjungan rumah balita stunting", agency="puskesmas",
                  due_on=date(2026, 9, 30), person="Kepala Puskesmas", indicator="stunting", indicator_period="2026-Q2",
                  baseline_value=24.5, baseline_numerator=49, baseline_n=200)
    return Decision(**(values | changes))


def test_a_new_store_is_private_in_wal_mode_and_migrated(tmp_path):
    store = DecisionStore(tmp_path / "decisions.sqlite")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.version() == max(MIGRATIONS)
    with sqlite3.connect(store.path) as con:
        assert con.execute("pragma journal_mode").fetchone() == ("wal",)
        tables = {name for (name,) in con.execute("select name from sqlite_master where type = 'table'")}
        for companion in ("-wal", "-shm"):      # while a connection is open: private like the file itself
            assert stat.S_IMODE(store.path.with_name(store.path.name + companion).stat().st_mode) == 0o600
    assert {"schema_version", "meetings", "decisions", "decision_updates", "audit"} <= tables
    DecisionStore(store.path)   # opening again runs nothing twice
    with sqlite3.connect(store.path) as con:
        assert con.execute("select count(*) from schema_version").fetchone() == (len(MIGRATIONS),)


def test_a_later_migration_runs_once_on_an_existing_store(tmp_path, monkeypatch):
    store = DecisionStore(tmp_path / "d.sqlite")
    store.add_meeting(MEETING, "siti")
    monkeypatch.setitem(MIGRATIONS, 99, ("alter table meetings add column venue text",))
    again = DecisionStore(store.path)
    assert again.version() == 99
    assert "venue" in again.meetings().columns and len(again.meetings()) == 1


def test_a_failed_migration_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    store = DecisionStore(tmp_path / "d.sqlite")
    monkeypatch.setitem(MIGRATIONS, 2, ("alter table meetings add column venue text", "this is not sql"))
    with pytest.raises(sqlite3.OperationalError):
        DecisionStore(store.path)
    assert store.version() == 1 and "venue" not in store.meetings().columns


def test_meetings_decisions_updates_and_their_trail(tmp_path):
    store = DecisionStore(tmp_path / "d.sqlite")
    meeting_id = store.add_meeting(MEETING, "siti")
    first = store.add_decision(meeting_id, decision(), "siti")
    second = store.add_decision(meeting_id, decision(area_code="36.04", indicator=None, baseline_value=None,
                                                     referral_agency="dinas_sosial", referral_overdue=7,
                                                     agency="dinas_sosial", action="Tuntaskan rujukan macet"), "budi")
    store.update_status(first, "berjalan", "jadwal kunjungan dibuat", date(2026, 9, 1), "siti")
    store.update_status(first, "selesai", "12 rumah dikunjungi", date(2026, 9, 20), "siti")
    rows = store.decisions("36.04").set_index("decision_id")
    assert rows.loc[first, "status"] == "selesai" and rows.loc[second, "status"] == "direncanakan"
    assert rows.loc[first, "last_update_on"] == "2026-09-20"
    assert list(store.updates(first).note) == ["jadwal kunjungan dibuat", "12 rumah dikunjungi"]
    assert list(store.decisions("36.04.15").decision_id) == [first]          # an area and those below it only
    assert list(store.decisions(agency="dinas_sosial").decision_id) == [second]
    province = store.add_meeting(Meeting(date(2026, 8, 1), "36", "2026-Q2"), "siti")
    store.add_meeting(Meeting(date(2026, 8, 1), "36.03", "2026-Q2"), "siti")
    assert list(store.meetings("36.04.15", above=True).meeting_id) == [meeting_id, province]   # not 36.03's
    assert list(store.meetings("36.04").meeting_id) == [meeting_id]
    trail = store.audit()
    assert list(trail.action) == ["create", "create", "update_status", "update_status", "create", "create", "create"]
    assert list(trail.user) == ["siti", "siti", "siti", "siti", "budi", "siti", "siti"]


def test_bad_records_are_refused_with_the_field_named_and_nothing_written(tmp_path):
    store = DecisionStore(tmp_path / "d.sqlite")
    meeting_id = store.add_meeting(MEETING, "siti")
    for bad, field in ((decision(action="  "), "action"), (decision(agency="dinas_rahasia"), "agency"),
                       (decision(status="lupa"), "status")):
        with pytest.raises(StoreError, match=field):
            store.add_decision(meeting_id, bad, "siti")
    with pytest.raises(StoreError, match="meeting 999"):
        store.add_decision(999, decision(), "siti")
    assert store.decisions().empty and len(store.audit()) == 1


def test_an_admin_correction_and_deletion_are_kept_in_the_trail(tmp_path):
    store = DecisionStore(tmp_path / "d.sqlite")
    decision_id = store.add_decision(store.add_meeting(MEETING, "siti"), decision(), "siti")
    store.update_status(decision_id, "berjalan", "mulai", date(2026, 9, 1), "siti")
    store.correct_decision(decision_id, {"due_on": date(2026, 10, 31), "agency": "dinas_kesehatan"}, "admin")
    assert store.decisions().iloc[0][["due_on", "agency"]].tolist() == ["2026-10-31", "dinas_kesehatan"]
    with pytest.raises(StoreError, match="created_by"):
        store.correct_decision(decision_id, {"created_by": "someone else"}, "admin")
    store.delete_decision(decision_id, "admin")
    assert store.decisions().empty and store.updates(decision_id).empty
    trail = store.audit("decision", decision_id)
    assert list(trail.action) == ["delete", "correct", "update_status", "create"]
    assert '"agency": "puskesmas"' in trail.iloc[1].before and '"agency": "dinas_kesehatan"' in trail.iloc[1].after
    assert '"note": "mulai"' in trail.iloc[0].before and pd.isna(trail.iloc[0].after)


def _record_many(path: str, user: str, count: int, barrier=None) -> None:
    store = DecisionStore(path)
    if barrier is not None:
        barrier.wait()
    meeting_id = store.add_meeting(MEETING, user)
    for n in range(count):
        store.add_decision(meeting_id, decision(action=f"{user} {n}"), user)


def test_two_threads_recording_at_once_both_keep_their_rows(tmp_path):
    path = str(tmp_path / "d.sqlite")
    DecisionStore(path)
    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=_record_many, args=(path, user, 40, barrier)) for user in ("siti", "budi")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = DecisionStore(path).decisions()
    assert sorted(rows.created_by.value_counts().items()) == [("budi", 40), ("siti", 40)]
    assert set(rows.action) == {f"{u} {n}" for u in ("siti", "budi") for n in range(40)}


def test_two_processes_recording_at_once_both_keep_their_rows(tmp_path):
    path = str(tmp_path / "d.sqlite")
    DecisionStore(path)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [context.Process(target=_record_many, args=(path, user, 25, barrier)) for user in ("siti", "budi")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0]
    rows = DecisionStore(path).decisions()
    assert sorted(rows.created_by.value_counts().items()) == [("budi", 25), ("siti", 25)]


def test_a_backup_restores_everything_and_refuses_to_overwrite(tmp_path):
    store = DecisionStore(tmp_path / "d.sqlite")
    decision_id = store.add_decision(store.add_meeting(MEETING, "siti"), decision(), "siti")
    store.update_status(decision_id, "selesai", "beres", date(2026, 9, 20), "siti")
    out = store.backup(tmp_path / "backup" / "decisions-2026-12-01.sqlite")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    store.delete_decision(decision_id, "admin")              # the live store loses it ...
    restored = DecisionStore(out)                           # ... the backup still has it all
    assert list(restored.decisions().status) == ["selesai"]
    assert list(restored.updates(decision_id).note) == ["beres"]
    assert len(restored.audit()) == 3
    with pytest.raises(StoreError, match="exists already"):
        store.backup(out)
