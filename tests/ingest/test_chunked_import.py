"""Importing in chunks: a file read a few rows at a time gives exactly what one read of it gives,
with duplicates and conflicting rows found across chunks."""

from __future__ import annotations

import shutil

import pytest

from dashboard.ingest import readers
from dashboard.ingest.loader import import_files
from dashboard.ingest.readers import read_export
from tests.conftest import query, write_csv, write_xlsx
from tests.ingest.test_import_measurements import GOOD, HEAD, PLACE, export_rows

# Rows after the e-PPGBM-style export: a copy of its first good row far below it (an exact duplicate
# in another chunk) and two rows sharing a NIK and date with different weights, also chunks apart.
CONFLICT_A = [40, "3604150404230040", "Dedi", "L", "04/04/2023", "17/08/2025", "10", "80", "Berdiri", *PLACE, "", ""]
CONFLICT_B = CONFLICT_A[:6] + ["10,4"] + CONFLICT_A[7:]
FILLER = [[50 + i, f"36041505052300{50 + i}", "Anak", "P", "05/05/2023", "18/08/2025", "10", "81", "Berdiri",
           *PLACE, "", ""] for i in range(8)]


def long_export() -> list[list[object]]:
    return export_rows() + [CONFLICT_A] + FILLER[:4] + [list(GOOD[0])] + FILLER[4:] + [CONFLICT_B]


TABLES = {
    "measurements": "select * exclude (batch_id) from measurements order by child_id, measured_on",
    "rejects": "select source_row, column_name, value, reason_en from rejects order by all",
    "reject_rows": "select source_row, cells from reject_rows order by source_row",
    "posyandu": "select posyandu_id, name, village_code from posyandu order by all",
}


def imported(path, db, monkeypatch, chunk_rows):
    monkeypatch.setattr(readers, "CHUNK_ROWS", chunk_rows)
    [result] = import_files([path], db)
    return result, {name: query(db, sql) for name, sql in TABLES.items()}


@pytest.mark.parametrize("layout", ["plain csv", "quoted csv", "xlsx"])
def test_a_file_in_chunks_imports_exactly_as_in_one_read(layout, tmp_path, template_db, monkeypatch):
    rows = long_export()
    if layout == "quoted csv":  # a quoted cell sends the file to the exact, whole-file reader
        rows = [r[:2] + ['Nama "Panggilan"'] + r[3:] if len(r) > 3 and r[0] == 40 else r for r in rows]
    path = (write_xlsx(tmp_path / "long.xlsx", rows) if layout == "xlsx"
            else write_csv(tmp_path / "long.csv", rows, delimiter=";"))
    whole_db, chunked_db = tmp_path / "whole.duckdb", tmp_path / "chunked.duckdb"
    shutil.copyfile(template_db, whole_db)
    shutil.copyfile(template_db, chunked_db)

    whole, whole_tables = imported(path, whole_db, monkeypatch, 1_000_000)
    chunked, chunked_tables = imported(path, chunked_db, monkeypatch, 3)

    assert len(list(read_export(path).chunks())) > 5  # really read in pieces of three rows
    assert all(len(chunk.cells) <= 3 for chunk in read_export(path).chunks())
    counts = ("rows_read", "rows_loaded", "rows_rejected", "rows_duplicate", "rows_updated")
    assert [getattr(chunked, c) for c in counts] == [getattr(whole, c) for c in counts]
    assert chunked.adds_up and chunked.reject_summary == whole.reject_summary
    for name in TABLES:
        assert chunked_tables[name] == whole_tables[name], name
    # and what that is: the copy far below counted once as a duplicate, both conflicting rows rejected
    assert (chunked.rows_read, chunked.rows_loaded, chunked.rows_rejected, chunked.rows_duplicate) == (25, 11, 12, 2)
    conflict_rows = [r for r, column, _, reason in chunked_tables["rejects"] if "different values" in reason]
    assert len(conflict_rows) == 2 and conflict_rows[1] - conflict_rows[0] == len(FILLER) + 2
    assert query(chunked_db, "select count(*) from measurements where child_id = $nik",
                 {"nik": CONFLICT_A[1]}) == [(0,)]


def test_a_plain_csv_is_streamed_and_its_hash_is_of_the_whole_file(tmp_path, monkeypatch):
    import hashlib

    monkeypatch.setattr(readers, "CHUNK_ROWS", 4)
    path = write_csv(tmp_path / "plain.csv", [HEAD] + [r[:15] for r in FILLER] * 3, delimiter=";")
    table = read_export(path)
    chunks = list(table.chunks())
    assert [len(c.cells) for c in chunks] == [4, 4, 4, 4, 4, 4]
    assert chunks[1].source_rows.tolist() == [6, 7, 8, 9]  # 1-based, the heading is row 1
    assert table.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert list(table.chunks())[2].cells.equals(chunks[2].cells)  # each call reads again from the start


def test_a_long_line_far_down_a_plain_csv_is_refused_with_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "_BLOCK_BYTES", 1024)  # the long line falls in a later block
    rows = [HEAD] + [r[:15] for r in FILLER] * 10 + [["x" * 200_000]]
    [result] = import_files([write_csv(tmp_path / "long_line.csv", rows)], tmp_path / "db.duckdb")
    assert result.error and "128 KiB limit" in result.error and "\n" not in result.error
