"""Re-imports change nothing, overlaps update by natural key, bad files and crashes leave no trace,
and an idle reader of the database lets an import in and then reads its result."""

from __future__ import annotations

import hashlib
import io
import shutil
import threading
from pathlib import Path

import duckdb
from msoffcrypto.format.ooxml import OOXMLFile
import pytest

from dashboard.db import connect_readonly, fingerprint, reader, reading
from dashboard.ingest import load
from dashboard.ingest.loader import import_files
from tests.conftest import query, write_csv, write_xlsx

HEAD = ["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "TB", "Kode Desa"]


def rows(*weights):
    return [HEAD] + [[f"36041501012300{i:02d}", "L", "01/01/2024", "01/08/2025", w, "75", "3604152001"]
                     for i, w in enumerate(weights, start=1)]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(db: Path) -> list:
    return [query(db, f"select * from {t} order by all") for t in
            ("measurements", "import_batches", "rejects", "posyandu", "referrals", "referral_events")]


def test_same_file_twice_changes_nothing(tmp_path, db_path):
    export = write_csv(tmp_path / "a.csv", rows("9,5", "10,1", "x"))
    [first] = import_files([export], db_path)
    before = snapshot(db_path)
    [second] = import_files([export], db_path)
    assert second.already_imported_batch == first.batch_id and second.batch_id is None
    assert snapshot(db_path) == before


def test_overlapping_export_updates_instead_of_adding_twins(tmp_path, db_path):
    import_files([write_csv(tmp_path / "july.csv", rows("9,5", "10,1"))], db_path)
    [later] = import_files([write_csv(tmp_path / "august.csv", rows("9,6", "10,1", "11"))], db_path)
    assert (later.rows_loaded, later.rows_updated) == (3, 2)
    assert query(db_path, "select child_id, weight_kg, batch_id from measurements order by 1") == [
        ("3604150101230001", 9.6, 2), ("3604150101230002", 10.1, 2), ("3604150101230003", 11.0, 2)]


def _encrypted_xlsx(tmp_path: Path) -> Path:
    plain = write_xlsx(tmp_path / "plain.xlsx", rows("9,5"))
    out = io.BytesIO()
    office = OOXMLFile(io.BytesIO(plain.read_bytes()))
    office.encrypt("rahasia", out)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(out.getvalue())
    return path


def _bytes_file(name: str, data: bytes):
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name
    return make


def _truncated_xlsx(folder: Path) -> Path:
    full = write_xlsx(folder / "full.xlsx", rows("9,5")).read_bytes()
    return _bytes_file("truncated.xlsx", full[: len(full) // 2])(folder)


@pytest.mark.parametrize("make, fragment", [
    (_bytes_file("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR"), "binary"),
    (_bytes_file("empty.csv", b""), "empty"),
    (_truncated_xlsx, "cannot be read"),
    (_encrypted_xlsx, "password"),
    (lambda p: write_csv(p / "notes.csv", [["Catatan rapat"], ["hari ini hujan"]]), "no heading row"),
    (lambda p: write_csv(p / "other.csv", [["Kode Desa", "Kecamatan", "Desa"], ["3604152001", "a", "b"]]),
     "cannot tell which dataset"),
    (lambda p: write_csv(p / "partial.csv", [["NIK", "JK", "BB", "Kode Desa"], ["1", "L", "9", "3604152001"]]),
     "has no column"),
])
def test_unreadable_file_leaves_database_byte_identical(make, fragment, tmp_path, db_path):
    import_files([write_csv(tmp_path / "good.csv", rows("9,5"))], db_path)
    before = digest(db_path)
    bad = make(tmp_path)
    [result] = import_files([bad], db_path)
    assert result.error and fragment in result.error
    assert "\n" not in result.error
    assert digest(db_path) == before


def test_crash_mid_import_leaves_live_database_untouched(tmp_path, db_path, monkeypatch):
    import_files([write_csv(tmp_path / "good.csv", rows("9,5"))], db_path)
    before = digest(db_path)

    def boom(*args, **kwargs):
        raise KeyboardInterrupt("power cut")

    monkeypatch.setattr(load, "_upsert_stage", boom)
    with pytest.raises(KeyboardInterrupt):
        import_files([write_csv(tmp_path / "next.csv", rows("9,9", "10"))], db_path)
    assert digest(db_path) == before
    assert not list(tmp_path.glob("*.next*"))


def test_failure_inside_one_file_rolls_back_only_that_file(tmp_path, db_path, monkeypatch):
    real = load._upsert_stage
    calls = []

    def second_fails(con, table, key):
        calls.append(table)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(con, table, key)

    monkeypatch.setattr(load, "_upsert_stage", second_fails)
    results = import_files([write_csv(tmp_path / "a.csv", rows("9,5")),
                            write_csv(tmp_path / "b.csv", rows("9,5", "10"))], db_path)
    assert results[0].error is None and "nothing from this file" in results[1].error
    assert query(db_path, "select count(*) from measurements") == [(1,)]
    assert query(db_path, "select file_name from import_batches") == [("a.csv",)]


def test_an_idle_reader_lets_an_import_in_and_then_sees_it_whole(tmp_path, db_path):
    import_files([write_csv(tmp_path / "a.csv", rows("9,5"))], db_path)
    old_print = fingerprint(db_path)
    shared = reader(db_path)
    with shared.cursor() as cursor:  # the connection stays open after this block, idle
        assert cursor.execute("select count(*) from measurements").fetchall() == [(1,)]
    done = threading.Event()

    def run_import():
        import_files([write_csv(tmp_path / "b.csv", rows("9,5", "10", "11"))], db_path)
        done.set()

    worker = threading.Thread(target=run_import)
    worker.start()
    worker.join(timeout=60)
    assert done.is_set(), "import was blocked by an idle reader"
    with shared.cursor() as cursor:
        assert cursor.execute("select count(*) from measurements").fetchall() == [(3,)]
    shared.close()
    assert fingerprint(db_path) != old_print


def test_cli_import_prints_a_summary_that_adds_up(tmp_path, db_path, capsys):
    from dashboard.cli import main

    export = write_csv(tmp_path / "a.csv", rows("9,5", "abc", "9,5"))
    assert main(["import", str(export), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "read 3 = loaded 2 (of which updated 0) + rejected 1 + duplicates skipped 0  [ok]" in out
    assert "column 'BB': not a number" in out
    assert main(["import", str(tmp_path / "missing.csv"), "--db", str(db_path)]) == 1
    assert "GAGAL / FAILED  missing.csv" in capsys.readouterr().out


def test_named_sheet_is_read_and_a_missing_sheet_is_a_clear_error(tmp_path, db_path):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Petunjuk"
    book.active.append(["Isi data pada sheet Data"])
    data = book.create_sheet("Data")
    for row in rows("9,5", "10"):
        data.append(row)
    path = tmp_path / "two_sheets.xlsx"
    book.save(path)
    other = shutil.copyfile(db_path, tmp_path / "other.duckdb")
    [named] = import_files([path], db_path, sheet="Data")
    assert (named.sheet, named.rows_loaded) == ("Data", 2)
    [chosen] = import_files([path], other)
    assert (chosen.sheet, chosen.rows_loaded) == ("Data", 2)  # the first sheet with a heading row, named
    [missing] = import_files([path], db_path, sheet="Rekap")
    assert missing.error == "no sheet 'Rekap'; sheets are Petunjuk, Data"


def test_a_new_reader_in_the_same_process_sees_the_written_file(tmp_path, db_path):
    import_files([write_csv(tmp_path / "a.csv", rows("9,5"))], db_path)
    with reading(db_path) as first:
        assert first.execute("select count(*) from measurements").fetchall() == [(1,)]
    import_files([write_csv(tmp_path / "b.csv", rows("9,5", "10"))], db_path)
    second = connect_readonly(db_path)  # a fresh connection, not DuckDB's cached instance of the old state
    assert second.execute("select count(*) from measurements").fetchall() == [(2,)]
    second.close()
