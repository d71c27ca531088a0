"""``python -m dashboard meetings``: backup, list and seed-demo on real files, and decisions that
survive an import that rebuilds and swaps the analytics database."""

from __future__ import annotations

import shutil
import stat
from datetime import date

from dashboard.build import refresh
from dashboard.cli import main
from dashboard.db import connect_readonly, fingerprint, run_query
from dashboard.ingest.loader import import_files
from dashboard.meeting.review import opening_review
from dashboard.meeting.store import Decision, DecisionStore, Meeting
from dashboard.periods import parse_period
from tests.conftest import write_csv


def test_backup_list_and_seed_demo_from_the_command_line(tmp_path, demo_db, capsys):
    store = tmp_path / "decisions.sqlite"
    assert main(["meetings", "seed-demo", "--db", str(demo_db), "--store", str(store)]) == 0
    assert "demo meetings added: 3" in capsys.readouterr().out        # Banten, Kalimantan Tengah, Kab Serang
    assert main(["meetings", "seed-demo", "--db", str(demo_db), "--store", str(store)]) == 0
    assert "demo meetings added: 0" in capsys.readouterr().out
    assert main(["meetings", "list", "--store", str(store)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 3 and all("selesai 1" in line for line in listed)
    out = tmp_path / "backup" / "decisions.sqlite"
    assert main(["meetings", "backup", str(out), "--store", str(store)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert len(DecisionStore(out).decisions()) == len(DecisionStore(store).decisions())
    assert main(["meetings", "backup", str(out), "--store", str(store)]) == 1
    assert "exists already" in capsys.readouterr().err
    assert main(["meetings", "backup", str(tmp_path / "x.sqlite"), "--store", str(tmp_path / "none.sqlite")]) == 1
    assert not (tmp_path / "none.sqlite").exists()


def test_decisions_survive_an_import_that_swaps_the_analytics_database(tmp_path, demo_db):
    analytics = tmp_path / "analytics.duckdb"
    shutil.copyfile(demo_db, analytics)
    store = DecisionStore(tmp_path / "decisions.sqlite")
    meeting = store.add_meeting(Meeting(date(2026, 8, 12), "36.04", "2026-Q2"), "siti")
    store.add_decision(meeting, Decision("36.04.15", "Kunjungan rumah", "puskesmas", date(2026, 9, 30),
                                         indicator="stunting", indicator_period="2026-Q2", baseline_value=30.0,
                                         baseline_numerator=3, baseline_n=10), "siti")
    before = fingerprint(analytics)
    export = write_csv(tmp_path / "timbang_oktober.csv", [
        ["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "TB", "Kode Desa"],
        ["3604150101230099", "L", "01/01/2025", "15/08/2026", "9,5", "70", "3604152001"]])
    [result] = import_files([export], db_path=analytics, after_load=refresh)
    assert result.error is None and fingerprint(analytics) != before
    con = connect_readonly(analytics)
    review = opening_review(store, lambda name, **p: run_query(con, name, p), "36.04", parse_period("2026-Q3"),
                            date(2026, 10, 31), date(2026, 11, 20))
    assert list(review.decisions.action) == ["Kunjungan rumah"] and review.decisions.now_n.iloc[0] > 0
