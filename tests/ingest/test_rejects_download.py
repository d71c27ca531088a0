"""Rejects an office can fix: the rejected rows back in the file's layout with a reason column."""

from __future__ import annotations

import io

import duckdb
import pandas as pd

from dashboard.cli import main
from dashboard.ingest.loader import import_files
from dashboard.ingest.rejects import rejected_rows, rejected_rows_csv
from tests.conftest import write_csv

HEAD = ["NIK", "Nama Anak", "Tgl Lahir", "Tanggal Pengukuran", "BB", "TB", "Kode Desa", "Posyandu"]


def row(n: int, weight: str = "9,5", nik: str | None = None) -> list[str]:
    return [nik or f"36041501012400{n:02d}", "Siti Aminah", "05/01/2024", "15/08/2025", weight, "75",
            "36.04.15.2001", "Melati 1"]


def test_rejected_rows_come_back_in_the_file_layout_with_reasons(tmp_path, db_path):
    rows = [["LAPORAN"], HEAD, row(1), row(2, weight="abc"), row(3), row(4, nik="3.6011E+15", weight="300")]
    [result] = import_files([write_csv(tmp_path / "a.csv", rows)], db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        back = rejected_rows(con, result.batch_id, "en")
        csv_bytes = rejected_rows_csv(con, result.batch_id, "id")
    assert list(back.columns) == HEAD + ["Reason rejected"]
    assert back["NIK"].tolist() == ["3604150101240002", "3.6011E+15"]        # the rows as written
    assert back["BB"].tolist() == ["abc", "300"]
    assert back["Reason rejected"].iloc[0] == "BB: not a number (abc)"
    assert "NIK: NIK/id mangled by Excel" in back["Reason rejected"].iloc[1]
    assert "characters masked" in back["Reason rejected"].iloc[1]         # a personal value stays masked there
    again = pd.read_csv(io.BytesIO(csv_bytes), sep=";", dtype=str, encoding="utf-8-sig")
    assert list(again.columns)[-1] == "Alasan penolakan" and len(again) == 2

    corrected = again.drop(columns="Alasan penolakan")
    corrected.loc[0, "BB"], corrected.loc[1, "NIK"], corrected.loc[1, "BB"] = "9,7", "3604150101240004", "9,9"
    path = tmp_path / "diperbaiki.csv"
    corrected.to_csv(path, sep=";", index=False)
    [fixed] = import_files([path], db_path)
    assert (fixed.rows_loaded, fixed.rows_rejected) == (2, 0)


def test_more_than_five_percent_rejected_is_a_warning_not_ok(tmp_path, db_path, capsys):
    rows = [HEAD] + [row(i) for i in range(1, 19)] + [row(19, weight="abc"), row(20, weight="x")]  # 10% rejected
    assert main(["import", str(write_csv(tmp_path / "b.csv", rows)), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PERINGATAN / WARNING  b.csv") and "2 of 20 rows rejected (10%)" in out
    rows = [HEAD] + [row(i) for i in range(21, 60)] + [row(60, weight="abc")]  # 2.5%: still OK
    assert main(["import", str(write_csv(tmp_path / "c.csv", rows)), "--db", str(db_path)]) == 0
    assert capsys.readouterr().out.startswith("OK  c.csv")
