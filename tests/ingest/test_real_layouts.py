"""Exports as offices really download them: e-PPGBM's HTML table saved as .xls, legacy BIFF .xls."""

from __future__ import annotations

from html import escape

import duckdb
import pytest

from dashboard.ingest.loader import import_files
from tests.conftest import query

EPPGBM_HEAD = ["NIK", "Nama", "JK", "Tgl Lahir", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov", "Kab/Kota", "Kec",
               "Pukesmas", "Desa/Kel", "Posyandu", "RT", "RW", "Alamat", "Usia Saat Ukur", "Tanggal Pengukuran",
               "Berat", "Tinggi", "Cara Ukur", "LiLA", "BB/U", "ZS BB/U", "TB/U", "ZS TB/U", "BB/TB", "ZS BB/TB",
               "Naik Berat Badan", "PMT Diterima (kg)", "Jml Vit A", "KPSP", "KIA", "Kelas Ibu Balita", "MBG",
               "Total Pengukuran"]


def eppgbm_row(nik: str, born: str, age: str, weight: str, height: str, zs_haz: str, tbu: str) -> list[str]:
    return [nik, "Désy Rahmawati", "P", born, "3,1", "49", "Ibu Sité", "BANTEN", "KAB. SERANG", "CIKANDE",
            "CIKANDE", "CIKANDE", "MELATI 1", "001", "002", "Kp. Jawa", age, "15-08-2025", weight, height,
            "Terlentang", "14,2", "Berat Badan Normal", "-0,52", tbu, zs_haz, "Gizi Baik", "0,10", "N", "0", "1",
            "Sesuai", "Ya", "Tidak", "Tidak", "3"]


ROWS = [
    eppgbm_row("3604150101240001", "05-01-2024", "1 Tahun - 7 Bulan - 10 Hari", "9,5", "75,2", "-2,30", "Pendek"),
    eppgbm_row("3604150101240002", "05-01-2024", "0 Tahun - 3 Bulan - 0 Hari", "9,6", "74,0", "-2,70", "Pendek"),
    eppgbm_row("3604150101240003", "01-02-2023", "2 Tahun - 6 Bulan - 14 Hari", "11,0", "82,5", "-2,59", "Pendek"),
]


def eppgbm_html(rows: list[list[str]], cell: str = "td", charset: str = "windows-1252") -> str:
    """The page e-PPGBM serves as 'Daftar Anak Berdasarkan Status Gizi.xls': a summary table, then the list
    with title rows above its heading."""
    def tr(cells, tag="td", span=None):
        attrs = f' colspan="{span}"' if span else ""
        return "<tr>" + "".join(f"<{tag}{attrs}>{escape(str(c))}</{tag}>" for c in cells) + "</tr>\n"

    summary = "<table border=1>" + tr(["Jumlah balita", "3"]) + tr(["Dicetak", "15-08-2025"]) + "</table>"
    table = ("<table border=1>" + tr(["DAFTAR ANAK BERDASARKAN STATUS GIZI"], span=len(EPPGBM_HEAD))
             + tr(["Periode Agustus 2025"], span=len(EPPGBM_HEAD)) + tr(EPPGBM_HEAD, cell)
             + "".join(tr(r) for r in rows) + "</table>")
    return (f'<html><head><meta http-equiv="Content-Type" content="application/vnd.ms-excel; charset={charset}">'
            f"</head><body>{summary}<br>{table}</body></html>")


@pytest.mark.parametrize("name, cell", [("Daftar Anak Berdasarkan Status Gizi.xls", "th"), ("eppgbm.xlsx", "td"),
                                        ("eppgbm.html", "th")])
def test_eppgbm_html_download_imports_with_reported_values(tmp_path, db_path, name, cell):
    path = tmp_path / name
    path.write_bytes(eppgbm_html(ROWS, cell).encode("cp1252"))
    [result] = import_files([path], db_path)
    assert result.error is None and result.dataset == "measurements", result.error
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 3, 0)
    assert result.heading_row == 3 and result.sheet == "tabel 2 dari 2 / table 2 of 2"
    stored = query(db_path, "select child_id, weight_kg, lenhei_cm, muac_cm, reported_haz, reported_haz_status, "
                            "reported_waz, reported_whz_status, reported_age_days, age_disagrees "
                            "from measurements order by child_id")
    assert stored[0] == ("3604150101240001", 9.5, 75.2, 14.2, -2.3, "Pendek", -0.52, "Gizi Baik", 588, False)
    # born 5 Jan 2024, measured 15 Aug 2025 (588 days), but reported as 3 months old: counted, not rejected
    assert [row[-1] for row in stored] == [False, True, False]
    assert "Nama" in result.columns_ignored and "Usia Saat Ukur" not in result.columns_ignored


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_html_without_a_declared_charset_is_detected(tmp_path, db_path, encoding):
    page = eppgbm_html(ROWS, "th").replace("; charset=windows-1252", "").replace("MELATI 1", "Mawar Séroja")
    path = tmp_path / "tanpa_charset.xls"
    path.write_bytes(page.encode(encoding))
    [result] = import_files([path], db_path)
    assert result.rows_loaded == 3, result.error
    assert query(db_path, "select distinct name from posyandu") == [("Mawar Séroja",)]


def test_html_with_no_matching_table_says_so(tmp_path, db_path):
    path = tmp_path / "laporan.xls"
    path.write_text("<html><body><table><tr><td>Jumlah</td><td>3</td></tr></table></body></html>", encoding="utf-8")
    [result] = import_files([path], db_path)
    assert result.error and "no heading row" in result.error


def test_legacy_biff_xls_workbook_imports(tmp_path, db_path):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Data")
    for r, row in enumerate([["Laporan penimbangan"], [], EPPGBM_HEAD] + ROWS):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "penimbangan_lama.xls"
    book.save(str(path))
    assert path.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a real OLE2/BIFF workbook
    [result] = import_files([path], db_path)
    assert (result.sheet, result.heading_row, result.rows_loaded) == ("Data", 3, 3), result.error


def test_hidden_first_sheet_is_passed_over_for_the_visible_one(tmp_path, db_path):
    import openpyxl

    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title = "Lama"
    hidden.sheet_state = "hidden"
    for row in [EPPGBM_HEAD] + ROWS[:1]:
        hidden.append(row)
    visible = book.create_sheet("Agustus")
    for row in [EPPGBM_HEAD] + ROWS:
        visible.append(row)
    path = tmp_path / "dua_sheet.xlsx"
    book.save(path)
    [result] = import_files([path], db_path)
    assert (result.sheet, result.rows_loaded) == ("Agustus", 3), result.error


def test_reported_values_are_checked_against_the_who_recomputation(tmp_path, db_path):
    from dashboard.db import run_query
    from dashboard.ingest.loader import import_and_refresh

    path = tmp_path / "eppgbm.xls"
    rows = [r[:] for r in ROWS]
    rows[2][25] = "-0,40"  # e-PPGBM says -0.40 where the WHO standard gives -2.59: a disagreement
    path.write_bytes(eppgbm_html(rows).encode("cp1252"))
    [result] = import_and_refresh([path], db_path)
    assert result.rows_loaded == 3, result.error
    with duckdb.connect(str(db_path), read_only=True) as con:
        z = con.execute("select * from reported_z_village_year").df().set_index("indicator")
        ages = con.execute("select * from reported_age_village_year").df()
        ours = con.execute("select haz from measurements where child_id = '3604150101240003'").fetchone()[0]
        village, year = con.execute("select village_code, year from reported_z_village_year limit 1").fetchone()
        area = run_query(con, "pages/kualitas/reported", {"region": village[:8], "child_level": "desa",
                                                          "year": year}).set_index("indicator")
    assert z.loc["stunting", "compared"] == 3 and z.loc["stunting", "status_disagrees"] == 1
    assert z.loc["stunting", "largest_difference"] == pytest.approx(abs(ours + 0.40))
    assert (ages.with_reported_age.sum(), ages.age_disagrees.sum()) == (3, 1)
    # the Kualitas page's roll-up of the same checks to the village's kecamatan, one row per indicator and the age
    assert (area.loc["stunting", "compared"], area.loc["stunting", "status_disagrees"]) == (3, 1)
    assert (area.loc["", "compared"], area.loc["", "status_disagrees"]) == (3, 1)
