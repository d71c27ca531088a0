"""PKK's "Rekapitulasi Catatan Data dan Kegiatan Warga" as printed: title rows, merged two- and three-row
headings, a row of column numbers and a JUMLAH row, in real .xlsx files built with openpyxl."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from dashboard.ingest.loader import import_files
from dashboard.ingest.recap import title_pairs
from tests.conftest import query

# The kecamatan form: 35 numbered columns, one row per desa. (group, sub-heading, L/P) per column;
# None where a merge above or to the left covers the cell.
MEMBERS = [("Total", "L"), (None, "P"), ("Balita", "L"), (None, "P"), ("PUS", None), ("WUS", None),
           ("Ibu Hamil", None), ("Ibu Menyusui", None), ("Lansia", "L"), (None, "P"), ("3 Buta", "L"), (None, "P"),
           ("Berkebutuhan Khusus", "L"), (None, "P")]
GROUPS = [("Kriteria Rumah", ["Sehat Layak Huni", "Memiliki Tempat Sampah", "Memiliki SPAL",
                              "Memiliki Jamban Keluarga", "Menempel Stiker P4K"]),
          ("Sumber Air Keluarga", ["PDAM", "Sumur", "Sungai", "Lainnya"]),
          ("Makanan Pokok", ["Beras", "Non Beras"]),
          ("Warga Mengikuti Kegiatan", ["UP2K", "Pemanfaatan Tanah Pekarangan", "Industri Rumah Tangga",
                                        "Kesehatan Lingkungan"])]
SINGLE = ["No", "Nama Desa/Kelurahan", "Jumlah RT", "Jumlah Dasa Wisma", "Jumlah KRT", "Jumlah KK"]


def kecamatan_form(path: Path, titles: list[list[object]], rows: list[list[object]], total: list[object] | None):
    """Title rows, a three-row merged heading (group / sub-heading / L-P), column numbers 1..35, rows, JUMLAH."""
    book = openpyxl.Workbook()
    ws = book.active
    for title in titles:
        ws.append(title)
    top = ws.max_row + 2
    group_row, sub_row, sex_row = top, top + 1, top + 2
    for column, heading in enumerate(SINGLE, start=1):
        ws.cell(group_row, column, heading)
        ws.merge_cells(start_row=group_row, end_row=sex_row, start_column=column, end_column=column)
    column = len(SINGLE) + 1
    ws.cell(group_row, column, "Jumlah Anggota Keluarga")
    ws.merge_cells(start_row=group_row, end_row=group_row, start_column=column, end_column=column + len(MEMBERS) - 1)
    for offset, (sub, sex) in enumerate(MEMBERS):
        if sub:
            ws.cell(sub_row, column + offset, sub)
            if sex is None:
                ws.merge_cells(start_row=sub_row, end_row=sex_row, start_column=column + offset,
                               end_column=column + offset)
            else:
                ws.merge_cells(start_row=sub_row, end_row=sub_row, start_column=column + offset,
                               end_column=column + offset + 1)
        if sex:
            ws.cell(sex_row, column + offset, sex)
    column += len(MEMBERS)
    for group, subs in GROUPS:
        ws.cell(group_row, column, group)
        ws.merge_cells(start_row=group_row, end_row=group_row, start_column=column, end_column=column + len(subs) - 1)
        for offset, sub in enumerate(subs):
            ws.cell(sub_row, column + offset, sub)
            ws.merge_cells(start_row=sub_row, end_row=sex_row, start_column=column + offset, end_column=column + offset)
        column += len(subs)
    assert column - 1 == 35
    ws.append(list(range(1, 36)))
    for row in rows + ([total] if total else []):
        ws.append(row)
    book.save(path)
    return path


def desa_row(number: int, name: str, base: int) -> list[object]:
    counts = [base + i for i in range(33)]
    return [number, name, *counts]


TITLES = [["REKAPITULASI CATATAN DATA DAN KEGIATAN WARGA"], ["TP PKK KECAMATAN"],
          ["KECAMATAN", ": Cikande"], ["KABUPATEN/KOTA : Kabupaten Serang"], ["PROVINSI", ":", "Banten"],
          ["TAHUN : 2025"]]


def test_kecamatan_form_imports_every_desa_with_its_flattened_headings(tmp_path, db_path):
    rows = [desa_row(1, "Cikande", 10), desa_row(2, "Leuwi Limus", 20), desa_row(3, "Nambo Udik", 30)]
    total = ["", "JUMLAH", *[sum(r[i] for r in rows) for i in range(2, 35)]]
    [result] = import_files([kecamatan_form(tmp_path / "rekap_kecamatan.xlsx", TITLES, rows, total)], db_path)
    assert result.error is None and result.dataset == "pkk_dasawisma", result.error
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 3, 0), result.reject_summary
    assert result.heading_row == 11  # the L/P row and the row of column numbers are part of the heading
    # village parents and year from the title rows, said so; the JUMLAH row agrees, so no warning about it
    assert any("'KECAMATAN' taken from title row 3" in w for w in result.warnings)
    assert any("'TAHUN' taken from title row 6" in w for w in result.warnings)
    assert not any("JUMLAH" in w for w in result.warnings)
    assert not any("Anggota" in c or "Kriteria" in c for c in result.columns_ignored), result.columns_ignored
    assert query(db_path, """
        select village_code, rw, rt, dasawisma, period, households, kk_count, members_male, members_female,
               members_balita, members_pus, members_lansia, members_berkebutuhan_khusus, households_rumah_sehat,
               households_jamban, households_stiker_p4k, households_air_pdam, households_air_sumur,
               households_air_bersih, households_air_lainnya, households_makanan_pokok_beras,
               households_makanan_pokok_non_beras, households_up2k, households_pekarangan, households_kerja_bakti
        from pkk_dasawisma order by village_code""")[0] == (
        "36.04.15.2001", "", "", "", date(2025, 1, 1), 12, 13, 14, 15, 16 + 17, 18, 22 + 23, 26 + 27, 28,
        31, 32, 33, 34, 33 + 34, 36, 37, 38, 39, 40, 42)
    assert query(db_path, "select members_balita_l, members_balita_p, members_buta_huruf_p from pkk_dasawisma "
                          "where village_code = '36.04.15.2003'") == [(36, 37, 45)]


def test_a_non_number_in_a_count_rejects_that_row_with_row_and_column(tmp_path, db_path):
    rows = [desa_row(1, "Cikande", 10), desa_row(2, "Leuwi Limus", 20), desa_row(3, "Nambo Udik", 30)]
    rows[1][8] = "tujuh"  # Jumlah Anggota Keluarga - Balita - L
    total = ["", "JUMLAH", *[sum(r[i] for r in rows if isinstance(r[i], int)) for i in range(2, 35)]]
    [result] = import_files([kecamatan_form(tmp_path / "rekap.xlsx", TITLES, rows, total)], db_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 2, 1)
    assert query(db_path, "select source_row, column_name, value from rejects") == [
        (13, "Jumlah Anggota Keluarga - Balita - L", "tujuh")]
    assert query(db_path, "select count(*) from pkk_dasawisma")[0][0] == 2


def test_a_jumlah_row_that_is_not_the_sum_is_a_warning_and_never_a_row(tmp_path, db_path):
    rows = [desa_row(1, "Cikande", 10), desa_row(2, "Leuwi Limus", 20)]
    total = ["", "Jumlah", *[sum(r[i] for r in rows) for i in range(2, 35)]]
    total[5] += 3  # Jumlah KK
    [result] = import_files([kecamatan_form(tmp_path / "rekap.xlsx", TITLES, rows, total)], db_path)
    assert (result.rows_read, result.rows_loaded) == (2, 2)
    [warning] = [w for w in result.warnings if "JUMLAH" in w]
    assert "row 14" in warning and "Jumlah KK (39 vs 36)" in warning
    assert result.status == "warning"


def two_row_form(path: Path, titles: list[list[object]], heads: list[tuple[str, list[str] | None]],
                 rows: list[list[object]], sheet: str = "Sheet") -> Path:
    """Title rows, a blank row, a two-row heading (a group merged across its sub-headings, a single heading
    merged down both rows) and the rows below it, in a real .xlsx."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for title in titles:
        ws.append(title)
    top = ws.max_row + 2  # a blank row under the titles
    column = 1
    for heading, subs in heads:
        ws.cell(top, column, heading)
        if subs is None:
            ws.merge_cells(start_row=top, end_row=top + 1, start_column=column, end_column=column)
            column += 1
            continue
        ws.merge_cells(start_row=top, end_row=top, start_column=column, end_column=column + len(subs) - 1)
        for offset, sub in enumerate(subs):
            ws.cell(top + 1, column + offset, sub)
        column += len(subs)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def kelompok_form(path: Path, titles: list[list[object]], rows: list[list[object]], total: list[object]) -> Path:
    """The Dasa Wisma groups of one RT: a two-row heading whose sub-headings carry L/P ('Balita L')."""
    heads = [("No", None), ("Nama Dasa Wisma", None), ("Jumlah KRT", None), ("Jumlah KK", None),
             ("Jumlah Anggota Keluarga", ["Total L", "Total P", "Balita L", "Balita P", "PUS", "WUS", "Ibu Hamil"]),
             ("Kriteria Rumah", ["Sehat Layak Huni", "Tempat Sampah", "SPAL", "Jamban", "Stiker P4K"]),
             ("Sumber Air", ["PDAM", "Sumur", "Sungai", "Lainnya"]), ("Ket", None)]
    return two_row_form(path, titles, heads, rows + [total], sheet="Rekap")


KELOMPOK_TITLES = [["REKAPITULASI CATATAN DATA DAN KEGIATAN WARGA"], ["KELOMPOK PKK RT"], ["RT/RW : 003/002"],
                   ["DESA/KELURAHAN : Leuwi Limus"], ["KECAMATAN : Cikande"], ["KAB/KOTA : Kab. Serang"],
                   ["BULAN : Maret"], ["TAHUN : 2025"]]


def test_kelompok_form_takes_village_rt_rw_and_month_from_the_title_rows(tmp_path, db_path):
    rows = [[1, "Mawar", 12, 14, 20, 22, 3, 4, 9, 11, 1, 9, 8, 7, 10, 1, 4, 6, 1, 1, ""],
            [2, "Melati", 10, 10, 15, 16, 2, 2, 7, 8, 0, 8, 6, 5, 9, 0, 10, "x", 0, 0, "baru"],
            [3, "Anggrek", 11, 12, 17, 18, 2, 1, 8, 9, 1, 7, 7, 6, 8, 2, 3, 7, 0, 1, ""]]
    total = ["", "JUMLAH", 33, 36, 52, 56, 7, 7, 24, 28, 2, 24, 21, 18, 27, 3, 17, 20, 1, 2, ""]
    [result] = import_files([kelompok_form(tmp_path / "rekap_rt3.xlsx", KELOMPOK_TITLES, rows, total)], db_path)
    assert result.error is None and result.dataset == "pkk_dasawisma", result.error
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 2, 1)
    assert query(db_path, "select source_row, column_name, value from rejects") == [
        (13, "Sumber Air - Sumur", "x")]
    assert query(db_path, """
        select village_code, rw, rt, dasawisma, period, households, kk_count, members_balita, households_jamban,
               households_air_bersih
        from pkk_dasawisma order by dasawisma""") == [
        ("36.04.15.2002", "2", "3", "Anggrek", date(2025, 3, 1), 11, 12, 3, 8, 10),
        ("36.04.15.2002", "2", "3", "Mawar", date(2025, 3, 1), 12, 14, 7, 10, 10)]
    for label in ("DESA/KELURAHAN", "RT", "RW", "BULAN"):
        assert any(f"'{label}' taken from title row" in w for w in result.warnings), result.warnings
    # the JUMLAH row counted the Sumur cell the office mistyped; every other column agrees
    [warning] = [w for w in result.warnings if "JUMLAH" in w]
    assert "for: Sumber Air - Sumur (20 vs 13) /" in warning


def test_a_column_in_the_table_wins_over_a_title_row(tmp_path, db_path):
    """A title row only fills what no column gives: the desa named in each row stays."""
    titles = [["DESA/KELURAHAN : Cikande"], ["KECAMATAN : Cikande"], ["KAB/KOTA : Kab. Serang"], ["TAHUN : 2025"]]
    rows = [desa_row(1, "Leuwi Limus", 5)]
    [result] = import_files([kecamatan_form(tmp_path / "rekap.xlsx", titles, rows, None)], db_path)
    assert result.rows_loaded == 1, result.reject_summary
    assert not any("DESA/KELURAHAN" in w for w in result.warnings)
    assert query(db_path, "select village_code from pkk_dasawisma") == [("36.04.15.2002",)]


def test_the_form_saved_as_an_html_table_reads_alike(tmp_path, db_path):
    """colspan and rowspan, which pandas spreads over every cell they cover, flatten like Excel's merges."""
    def tr(*cells):
        return "<tr>" + "".join(f"<td{attrs}>{text}</td>" for text, attrs in cells) + "</tr>"

    span = ' colspan="9"'
    page = ("<html><body><table border=1>" + tr(("REKAPITULASI CATATAN DATA DAN KEGIATAN WARGA", span))
            + tr(("KELOMPOK DASA WISMA : Kenanga", span)) + tr(("RT/RW : 004/001", span))
            + tr(("DESA/KELURAHAN : Nambo Udik", span)) + tr(("KECAMATAN : Cikande", span))
            + tr(("KAB/KOTA : Kab. Serang", span)) + tr(("TAHUN : 2025", span))
            + tr(("No", ' rowspan="3"'), ("Jumlah KRT", ' rowspan="3"'), ("Jumlah Anggota Keluarga", ' colspan="4"'),
                 ("Kriteria Rumah", ' colspan="3"'))
            + tr(("Balita", ' colspan="2"'), ("Lansia", ' colspan="2"'), ("Sehat Layak Huni", ' rowspan="2"'),
                 ("Jamban", ' rowspan="2"'), ("SPAL", ' rowspan="2"'))
            + tr(("L", ""), ("P", ""), ("L", ""), ("P", ""))
            + tr(*[(str(n), "") for n in range(1, 10)])
            + tr(("1", ""), ("12", ""), ("3", ""), ("4", ""), ("2", ""), ("1", ""), ("9", ""), ("10", ""), ("8", ""))
            + tr(("", ""), ("JUMLAH", ""), ("3", ""), ("4", ""), ("2", ""), ("1", ""), ("9", ""), ("10", ""), ("8", ""))
            + "</table></body></html>")
    path = tmp_path / "rekap_kenanga.xls"
    path.write_text(page, encoding="utf-8")
    [result] = import_files([path], db_path)
    assert result.error is None and (result.rows_read, result.rows_loaded) == (1, 1), (result.error, result.reject_summary)
    assert not any("JUMLAH" in w for w in result.warnings)  # the JUMLAH row's label sits in the Jumlah KRT column
    assert query(db_path, "select village_code, rw, rt, dasawisma, households, members_balita, members_lansia, "
                          "households_jamban from pkk_dasawisma") == [
        ("36.04.15.2003", "1", "4", "Kenanga", 12, 7, 3, 10)]


@pytest.mark.parametrize("cells, pairs", [
    (["DESA/KELURAHAN : Sindangmandi"], [("DESA/KELURAHAN", "Sindangmandi")]),
    (["KECAMATAN", ": Cikande", None, "TAHUN", ":", "2025"], [("KECAMATAN", "Cikande"), ("TAHUN", "2025")]),
    (["KELOMPOK DASA WISMA :", "Mawar"], [("KELOMPOK DASA WISMA", "Mawar")]),
    (["REKAPITULASI CATATAN DATA DAN KEGIATAN WARGA"], []),
])
def test_title_rows_as_label_and_value(cells, pairs):
    assert title_pairs(cells) == pairs


# The KELOMPOK Dasa Wisma form written one row per household ("catatan keluarga"): a two-row merged heading.
HOUSEHOLD_HEADS = [("No", None), ("Nama Kepala Rumah Tangga", None), ("Jumlah KK", None),
                   ("Jumlah Anggota Keluarga", ["Total L", "Total P", "Balita L", "Balita P", "PUS", "WUS", "Ibu Hamil",
                                                "Ibu Menyusui", "Lansia L", "Lansia P", "3 Buta L", "3 Buta P",
                                                "Berkebutuhan Khusus L", "Berkebutuhan Khusus P"]),
                   ("Kriteria Rumah", ["Sehat Layak Huni", "Tidak Sehat Layak Huni", "Tempat Sampah", "SPAL", "Jamban",
                                       "Stiker P4K"]),
                   ("Sumber Air Keluarga", ["PDAM", "Sumur", "Sungai", "Lainnya"]),
                   ("Makanan Pokok", ["Beras", "Non Beras"]),
                   ("Warga Mengikuti Kegiatan", ["UP2K", "Pemanfaatan Tanah Pekarangan", "Industri Rumah Tangga",
                                                 "Kesehatan Lingkungan"]),
                   ("Ket", None)]
HOUSEHOLD_TITLES = [["REKAPITULASI CATATAN DATA DAN KEGIATAN WARGA"], ["KELOMPOK DASA WISMA : Mawar"],
                    ["RT/RW : 003/002"], ["DESA/KELURAHAN : Leuwi Limus"], ["KECAMATAN : Cikande"],
                    ["KAB/KOTA : Kab. Serang"], ["TAHUN : 2025"]]
NAMES = ["Siti Aminah", "Ahmad Fauzi", "Dewi Lestari", "Budi Santoso", "Rina Marlina"]
V = "v"  # a ticked box: this household has it


def household(number: int, name: str, kk: int, members: list[int], house: list, water: list, food: list,
              activities: list) -> list[object]:
    return [number, name, kk, *members, *house, *water, *food, *activities, ""]


HOUSEHOLDS = [  # members: L, P, balita L/P, PUS, WUS, hamil, menyusui, lansia L/P, 3 buta L/P, ABK L/P
    household(1, NAMES[0], 1, [2, 3, 1, 0, 1, 2, 0, 1, 0, 1, 0, 0, 0, 0], [V, "", V, V, V, ""], [V, "", "", ""],
              [V, ""], [V, V, "", V]),
    household(2, NAMES[1], 2, [4, 3, 0, 2, 2, 2, 1, 0, 1, 0, 1, 0, 0, 1], ["", V, V, "", V, V], ["", V, "", ""],
              [V, ""], ["", V, V, V]),
    household(3, NAMES[2], 1, [1, 2, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0], [V, "", "", V, "", ""], ["", "", V, ""],
              ["", V], ["", "", "", V]),
    household(4, NAMES[3], 1, [3, 2, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 0], [1, 0, 1, 1, 1, 1], [0, 0, 0, 1],
              [1, 0], [0, 1, 0, 1]),
    household(5, NAMES[4], 1, [2, 2, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0], [V, "", V, V, V, V], [V, "", "", ""],
              [V, ""], [V, "", "", V]),
]


def household_form(path: Path, rows: list[list[object]], total: list[object] | None = None) -> Path:
    """Title rows, a blank row, the two-row merged heading, one row per household, and a JUMLAH row."""
    return two_row_form(path, HOUSEHOLD_TITLES, HOUSEHOLD_HEADS, rows + ([total] if total else []))


def ticked(value) -> int:
    return 1 if value in (V, 1) else 0


def column_total(rows: list[list[object]], index: int) -> int:
    """An office's own JUMLAH cell: numbers added, ticks counted (computed apart from the importer)."""
    return sum(v if isinstance(v, int) and index < 17 else ticked(v) for v in (r[index] for r in rows))


def jumlah_row(rows: list[list[object]]) -> list[object]:
    return ["", "JUMLAH", *[column_total(rows, i) for i in range(2, 33)], ""]


def every_text_in(db: Path) -> str:
    """Every value of every table of the database but the list of regions (place names hold 'Siti'), as text."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [t for (t,) in con.execute("select table_name from duckdb_tables() where table_name != 'regions'")
                  .fetchall()]
        return "\n".join(str(con.execute(f'select * from "{t}"').fetchall()) for t in tables)


def test_a_household_form_is_summed_into_its_dasa_wisma_row(tmp_path, db_path):
    rows = [list(r) for r in HOUSEHOLDS]
    [result] = import_files([household_form(tmp_path / "dasawisma_mawar.xlsx", rows, jumlah_row(rows))], db_path)
    assert result.error is None and result.dataset == "pkk_dasawisma", result.error
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (1, 1, 0), result.reject_summary
    assert result.adds_up
    assert any("5 households summed into 1 Dasa Wisma row" in w for w in result.warnings), result.warnings
    assert not any("JUMLAH" in w for w in result.warnings), result.warnings
    # expected figures added up by hand from HOUSEHOLDS above
    assert query(db_path, """
        select village_code, rw, rt, dasawisma, period, households, kk_count, members_male, members_female,
               members_balita, members_balita_l, members_pus, members_wus, members_ibu_hamil, members_menyusui,
               members_lansia, members_buta_huruf, members_berkebutuhan_khusus, households_rumah_sehat,
               households_tempat_sampah, households_spal, households_jamban, households_stiker_p4k,
               households_air_pdam, households_air_sumur, households_air_sungai, households_air_lainnya,
               households_air_bersih, households_makanan_pokok_beras, households_makanan_pokok_non_beras,
               households_up2k, households_pekarangan, households_industri_rt, households_kerja_bakti,
               source_row
        from pkk_dasawisma""") == [
        ("36.04.15.2002", "2", "3", "Mawar", date(2025, 1, 1), 5, 6, 12, 12, 6, 3, 6, 7, 2, 2, 4, 2, 2, 4,
         4, 4, 4, 3, 2, 1, 1, 1, 3, 4, 1, 2, 3, 1, 5, 11)]


def test_a_household_with_a_bad_count_is_rejected_with_row_and_column_and_the_rest_are_summed(tmp_path, db_path):
    rows = [list(r) for r in HOUSEHOLDS]
    rows[2][5] = "dua"  # Jumlah Anggota Keluarga - Balita L of the third household (row 13)
    total = jumlah_row(HOUSEHOLDS)  # the office added up what it meant to type
    [result] = import_files([household_form(tmp_path / "dasawisma_mawar.xlsx", rows, total)], db_path)
    assert result.error is None, result.error
    assert (result.rows_read, result.rows_loaded, result.rows_rejected, result.rows_duplicate) == (2, 1, 1, 0)
    assert result.adds_up
    assert query(db_path, "select source_row, column_name, value from rejects") == [
        (13, "Jumlah Anggota Keluarga - Balita L", "dua")]
    assert query(db_path, "select households, kk_count, members_balita, households_jamban from pkk_dasawisma") == [
        (4, 5, 4, 4)]
    assert any("4 households summed into 1 Dasa Wisma row" in w for w in result.warnings), result.warnings
    # the JUMLAH row counted the cell the office mistyped; every other column agrees
    [warning] = [w for w in result.warnings if "JUMLAH" in w]
    assert "row 16" in warning and "for: Jumlah Anggota Keluarga - Balita L (3 vs 2) /" in warning


def test_no_name_of_a_head_of_household_is_stored_anywhere(tmp_path, db_path):
    rows = [list(r) for r in HOUSEHOLDS]
    rows[1][7] = "NaN?"          # PUS of Ahmad Fauzi's household: his row is rejected, and kept for the download
    rows[3][19] = "3000000000"   # Tempat Sampah of Budi Santoso's household: out of range
    [result] = import_files([household_form(tmp_path / "dasawisma_mawar.xlsx", rows)], db_path)
    assert result.rows_rejected == 2 and result.rows_loaded == 1, result.reject_summary
    stored = every_text_in(db_path)
    assert "Tempat Sampah" in str(query(db_path, "select column_name from rejects"))
    for name in NAMES:
        assert name not in stored and name.split()[0] not in stored
    assert query(db_path, "select count(*) from reject_rows")[0][0] == 2
    shown = " ".join(result.warnings + result.columns_ignored + [str(r) for r in result.reject_summary])
    assert not any(name in shown for name in NAMES)


def test_a_jumlah_row_that_is_not_the_sum_of_the_households_names_its_row(tmp_path, db_path):
    rows = [list(r) for r in HOUSEHOLDS]
    total = jumlah_row(rows)
    total[2] += 2  # Jumlah KK
    [result] = import_files([household_form(tmp_path / "dasawisma_mawar.xlsx", rows, total)], db_path)
    assert result.rows_loaded == 1
    [warning] = [w for w in result.warnings if "JUMLAH" in w]
    assert "row 16" in warning and "Jumlah KK (8 vs 6)" in warning


def test_households_of_two_groups_in_one_list_make_two_rows(tmp_path, db_path):
    """A desa's list of households with a Dasa Wisma column: each group is summed on its own."""
    heads = [HOUSEHOLD_HEADS[0], ("Nama Dasa Wisma", None), *HOUSEHOLD_HEADS[1:]]
    titles = [t for t in HOUSEHOLD_TITLES if "KELOMPOK" not in t[0]]
    groups = ["Mawar", "Melati", "Mawar", "Melati", "mawar "]        # the same group however it is typed
    rows = [[r[0], group, *r[1:]] for r, group in zip(HOUSEHOLDS, groups)]
    [result] = import_files([two_row_form(tmp_path / "dasawisma_desa.xlsx", titles, heads, rows)], db_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 2, 0), result.reject_summary
    assert query(db_path, "select dasawisma, households, kk_count, members_male, households_air_pdam, source_row "
                          "from pkk_dasawisma order by source_row") == [
        ("Mawar", 3, 3, 2 + 1 + 2, 1 + 0 + 1, 10), ("Melati", 2, 3, 4 + 3, 0, 11)]   # six title rows, a blank, two heading rows
