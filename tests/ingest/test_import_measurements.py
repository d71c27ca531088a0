"""Importing child measurement exports: messy CSV and XLSX files with every kind of bad row."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.ingest.loader import import_files
from dashboard.ingest.readers import read_export
from tests.conftest import query, write_csv, write_xlsx

TITLE = [["LAPORAN PENIMBANGAN BALITA"], ["Puskesmas Cikande, Agustus 2025"], []]
HEAD = ["No", "NIK", "Nama Anak", "JK", "TGL_LAHIR", "Tanggal Pengukuran", "BB (kg)", "PB/TB", "Cara Ukur",
        "Kabupaten", "Kecamatan", "Desa/Kelurahan", "Posyandu", "Status Gizi", "ZS TB/U"]
PLACE = ["KAB. SERANG", "Kec. Cikande", "Desa Cikande", "Melati 1"]

GOOD = [
    [1, "3604150101230001", "Siti Aminah", "P", "05/01/2024", "15/08/2025", "9,5", "75,2", "Terlentang", *PLACE, "Normal", ""],
    [2, "3604150202220002", "Budi", "L", "2022-02-02", "15/08/2025", "12,1", "88", "Berdiri", *PLACE, "", ""],
    [3, "3604150303230003", "Cici", "2", "03/03/2023", "16/08/2025", "11", "", "", "Kabupaten Serang", "Cikande",
     "Nambo Udik", "Posyandu Mawar", "", ""],
]
DUPLICATE = [GOOD[1][0] + 10] + GOOD[1][1:]   # same content, another running number: an exact duplicate
BAD = {  # running number -> (column heading at fault, English reason fragment)
    20: ["3.6011E+15", "Excel"],
    21: ["3604150101230021", "SERANG", "ambiguous"],
    22: ["3604150101230022", "born after", "birth date after measurement"],
    23: ["3604150101230023", "weight", "weight outside"],
    24: ["3604150101230024", "sex", "sex not recognised"],
    25: ["3604150101230025", "desa", "region name not found"],
    26: ["3604150101230026", "future", "in the future"],
    27: ["3604150101230027", "date", "date does not exist"],
    28: ["3604150101230028", "nothing", "neither weight nor"],
    29: ["", "required", "required column is empty"],
}


def bad_rows() -> list[list[object]]:
    def row(n, nik, **overrides):
        base = {"JK": "L", "lahir": "01/01/2024", "ukur": "15/08/2025", "bb": "9", "tb": "70", "cara": "L",
                "kab": "KAB. SERANG", "kec": "Cikande", "desa": "Cikande"}
        base.update(overrides)
        return [n, nik, "Anak", base["JK"], base["lahir"], base["ukur"], base["bb"], base["tb"], base["cara"],
                base["kab"], base["kec"], base["desa"], "Melati 1", "", ""]
    return [
        row(20, "3.6011E+15"),
        row(21, "3604150101230021", kab="SERANG"),
        row(22, "3604150101230022", lahir="01/09/2025"),
        row(23, "3604150101230023", bb="250"),
        row(24, "3604150101230024", JK="X"),
        row(25, "3604150101230025", desa="Kampung Antah"),
        row(26, "3604150101230026", ukur="01/01/2030"),
        row(27, "3604150101230027", lahir="31/02/2024"),
        row(28, "3604150101230028", bb="", tb=""),
        row(29, ""),
    ]


def export_rows() -> list[list[object]]:
    return TITLE + [HEAD] + GOOD + [DUPLICATE] + [[]] + bad_rows()


@pytest.fixture(params=["csv", "xlsx"])
def export(request, tmp_path):
    if request.param == "csv":
        return write_csv(tmp_path / "eppgbm_cikande.csv", export_rows(), delimiter=";")
    return write_xlsx(tmp_path / "eppgbm_cikande.xlsx", export_rows())


def test_good_rows_load_and_bad_rows_are_explained(export, db_path):
    [result] = import_files([export], db_path)
    assert result.error is None and result.dataset == "measurements"
    assert result.heading_row == 4
    assert (result.rows_read, result.rows_loaded, result.rows_rejected, result.rows_duplicate) == (14, 3, 10, 1)
    assert result.adds_up
    assert set(result.columns_ignored) >= {"No", "Nama Anak", "Status Gizi"}  # ZS TB/U is kept as reported

    loaded = query(db_path, "select child_id, sex, birth_date, measured_on, weight_kg, lenhei_cm, measure, "
                            "village_code, posyandu_id from measurements order by child_id")
    assert loaded == [
        ("3604150101230001", 2, date(2024, 1, 5), date(2025, 8, 15), 9.5, 75.2, "L", "36.04.15.2001",
         "36.04.15.2001/melati1"),
        ("3604150202220002", 1, date(2022, 2, 2), date(2025, 8, 15), 12.1, 88.0, "H", "36.04.15.2001",
         "36.04.15.2001/melati1"),
        ("3604150303230003", 2, date(2023, 3, 3), date(2025, 8, 16), 11.0, None, None, "36.04.15.2003",
         "36.04.15.2003/mawar"),
    ]
    rejects = query(db_path, "select source_row, column_name, reason_en from rejects order by source_row, column_name")
    first_bad_row = 4 + len(GOOD) + 1 + 1 + 1  # heading row 4, good rows, the duplicate, a blank row
    by_row = {}
    for source_row, column, reason in rejects:
        by_row.setdefault(source_row, []).append((column, reason))
    assert sorted(by_row) == list(range(first_bad_row, first_bad_row + 10))
    expected = [("NIK", "Excel"), ("Kabupaten", "ambiguous"), ("TGL_LAHIR", "birth date after"),
                ("BB (kg)", "weight outside"), ("JK", "sex not recognised"), ("Desa/Kelurahan", "not found"),
                ("Tanggal Pengukuran", "future"), ("TGL_LAHIR", "does not exist"), ("", "neither weight"),
                ("NIK", "required")]
    for offset, (column, fragment) in enumerate(expected):
        problems = by_row[first_bad_row + offset]
        assert any(c == column and fragment in r for c, r in problems), (first_bad_row + offset, problems)


def test_personal_values_never_appear_in_rejects(export, db_path):
    import_files([export], db_path)
    values = [v for (v,) in query(db_path, "select value from rejects where value is not null")]
    assert values, "some non-personal values should be kept for the reader"
    assert not any("3.6011E+15" in v or "01/09/2025" in v or "31/02/2024" in v for v in values)
    assert any("masked" in v for v in values)
    assert "250" in values and "X" in values and "SERANG" in values


def test_weight_in_grams_is_converted_by_heading(tmp_path, db_path):
    rows = [["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB (gram)", "Kode Desa"],
            ["3604150101230001", "L", "01/01/2024", "01/08/2025", "9500", "3604152001"],
            ["3604150101230002", "P", "01/01/2024", "01/08/2025", "8.250", "36.04.15.2001"]]
    [result] = import_files([write_csv(tmp_path / "gram.csv", rows, delimiter=",")], db_path)
    assert result.rows_loaded == 2
    assert query(db_path, "select weight_kg from measurements order by child_id") == [(9.5,), (8.25,)]


def test_bps_and_unknown_codes_are_rejected(tmp_path, db_path):
    rows = [["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "Kode Desa"],
            ["3604150101230001", "L", "01/01/2024", "01/08/2025", "9,5", "3604010001"],
            ["3604150101230002", "L", "01/01/2024", "01/08/2025", "9,5", "3699992001"],
            ["3604150101230003", "L", "01/01/2024", "01/08/2025", "9,5", "3604152001"]]
    [result] = import_files([write_csv(tmp_path / "codes.csv", rows)], db_path)
    assert (result.rows_loaded, result.rows_rejected) == (1, 2)
    reasons = [r for (r,) in query(db_path, "select reason_en from rejects order by source_row")]
    assert "BPS" in reasons[0] and "not in the Kemendagri list" in reasons[1]


def test_conflicting_duplicates_are_all_rejected(tmp_path, db_path):
    rows = [["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "Kode Desa"],
            ["3604150101230001", "L", "01/01/2024", "01/08/2025", "9,5", "3604152001"],
            ["3604150101230001", "L", "01/01/2024", "01/08/2025", "9,9", "3604152001"],
            ["3604150101230002", "L", "01/01/2024", "01/08/2025", "9,5", "3604152001"]]
    [result] = import_files([write_csv(tmp_path / "conflict.csv", rows)], db_path)
    assert (result.rows_loaded, result.rows_rejected, result.rows_duplicate) == (1, 2, 0)
    assert query(db_path, "select distinct reason_en from rejects") == [
        ("same key twice in the file with different values",)]


def test_windows_1252_and_bom_files(tmp_path, db_path):
    rows = [["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "Kabupaten", "Kecamatan", "Desa"],
            ["6271010101230001", "P", "01/01/2024", "01/08/2025", "9,5", "Kota Palangka Raya", "Pahandut", "Pahandut"]]
    cp = write_csv(tmp_path / "cp1252.csv", rows + [["6271010101230002", "L", "01/01/2024", "01/08/2025", "9,5",
                                                      "Kota Palangkaraya", "Pahandut", "Pahandut ·"]], encoding="cp1252")
    bom = write_csv(tmp_path / "bom.csv", rows, encoding="utf-8-sig")
    assert read_export(cp).cells.iat[1, 7] == "Pahandut ·"  # decoded as Windows-1252, not mangled
    results = import_files([cp, bom], db_path)
    assert [r.error for r in results] == [None, None]
    assert results[0].rows_loaded == 2  # names match ignoring punctuation and spacing
    assert results[1].rows_loaded == 1 and results[1].heading_row == 1
    assert query(db_path, "select distinct village_code from measurements") == [("62.71.01.1001",)]


def test_desa_or_kelurahan_prefix_does_not_block_a_unique_name(tmp_path, db_path):
    rows = [["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "Kabupaten", "Kecamatan", "Desa"],
            # Pahandut is a kelurahan (62.71.01.1001); exports often write "Desa" anyway
            ["6271010101230001", "P", "01/01/2024", "01/08/2025", "9,5", "Kota Palangka Raya", "Pahandut", "Desa Pahandut"],
            # but a kab/kota kind that contradicts the only match is refused: there is no Kota Lebak
            ["3602010101230002", "P", "01/01/2024", "01/08/2025", "9,5", "Kota Lebak", "Rangkasbitung", "Muara Ciujung Timur"]]
    [result] = import_files([write_csv(tmp_path / "kinds.csv", rows)], db_path)
    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    assert query(db_path, "select village_code from measurements") == [("62.71.01.1001",)]
    assert query(db_path, "select column_name from rejects") == [("Kabupaten",)]


def test_a_row_wider_than_the_headings_is_rejected_not_cut(tmp_path, db_path):
    # unquoted CSV takes the fast parser, which would silently drop the extra cell
    rows = [["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "Kode Desa"],
            ["3604150101230001", "L", "01/01/2024", "01/08/2025", "9", "5", "3604152001"],
            ["3604150101230002", "L", "01/01/2024", "01/08/2025", "9,5", "3604152001"]]
    [result] = import_files([write_csv(tmp_path / "wide.csv", rows)], db_path)
    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    # the shifted row also fails its village code; the extra cell is named among its problems
    assert (2, "(sel tambahan / extra cells)") in query(db_path, "select source_row, column_name from rejects")
