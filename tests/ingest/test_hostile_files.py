"""Hostile and broken files (issue 15 §2): each built here as a real file, each refused or contained
cleanly while the other files of the same run still load."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from dashboard.ingest.loader import DISK_FULL, import_files
from tests.conftest import query, write_csv, write_xlsx

HEAD = ["NIK", "Tgl Lahir", "Tanggal Pengukuran", "BB", "TB", "Kode Desa", "Posyandu"]


def child(n: int, weight: str = "9,5", born: str = "05/01/2024") -> list[str]:
    return [f"36041501012400{n:02d}", born, "15/08/2025", weight, "75", "36.04.15.2001", "Melati 1"]


def good_file(tmp_path: Path, name: str = "baik.csv", n: int = 3) -> Path:
    return write_csv(tmp_path / name, [HEAD] + [child(i) for i in range(1, n + 1)])


def test_zip_bomb_named_xlsx_is_refused_in_seconds_before_parsing(tmp_path, db_path):
    bomb = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            zeros = b"0" * (1024 * 1024)
            for _ in range(300):  # 300 MB of one repeated byte: about 300 KB compressed
                member.write(zeros)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    started = time.monotonic()
    bad, good = import_files([bomb, good_file(tmp_path)], db_path)
    assert time.monotonic() - started < 60
    assert "zip bomb" in bad.error and "300 MB" in bad.error
    assert good.rows_loaded == 3


@pytest.mark.parametrize("shape", ["one_line", "wide", "huge_cell"])
def test_overlong_lines_are_refused_in_one_line_and_the_run_goes_on(tmp_path, db_path, shape):
    path = tmp_path / f"{shape}.csv"
    if shape == "one_line":
        path.write_text(";".join(HEAD) + ";" + "x" * 200_000, encoding="utf-8")
    elif shape == "wide":
        path.write_text(";".join(HEAD + [f"k{i}" for i in range(100_000)]) + "\n" + ";".join(child(1)) + "\n")
    else:
        write_csv(path, [HEAD, child(1)[:3] + ["9" * 1_000_000] + child(1)[4:]])
    bad, good = import_files([path, good_file(tmp_path)], db_path)
    assert "\n" not in bad.error and "128 KiB limit" in bad.error
    assert good.rows_loaded == 3 and good.error is None


def test_one_out_of_range_cell_rejects_only_its_row(tmp_path, db_path):
    head = ["No Registrasi Posyandu", "Bulan", "Tahun", "S", "D"]
    rows = [head, ["36.04.15.2001.001", "Januari", "2025", "40", "35"],
            ["36.04.15.2001.001", "Februari", "2025", "3000000000", "35"],
            ["36.04.15.2001.001", "Maret", "99999", "40", "35"],
            ["36.04.15.2001.001", "April", "2025", "41", "36"]]
    [result] = import_files([write_csv(tmp_path / "skdn.csv", rows)], db_path)
    assert result.error is None and (result.rows_loaded, result.rows_rejected) == (2, 2)
    rejects = query(db_path, "select source_row, column_name, reason_en from rejects order by source_row")
    assert rejects[0][:2] == (3, "S") and "too large" in rejects[0][2]
    assert rejects[1][:2] == (4, "Bulan")  # the month the year 99999 belongs to cannot exist


def test_formula_cells_without_saved_values_are_rejected_with_the_cell(tmp_path, db_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEAD)
    sheet.append(child(1))
    sheet.append(child(2)[:3] + ["=B2*2"] + child(2)[4:])  # openpyxl saves the formula, never a value
    path = tmp_path / "rumus.xlsx"
    book.save(path)
    [result] = import_files([path], db_path)
    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    [(row, column, reason)] = query(db_path, "select source_row, column_name, reason_en from rejects")
    assert (row, column) == (3, "BB") and "formula without a saved value" in reason


def test_mixed_utf8_and_windows_1252_lines_are_decoded_per_line_and_named(tmp_path, db_path):
    head = ["No Registrasi Posyandu", "Nama Posyandu", "Kode Desa"]
    lines = [";".join(head).encode(), "36.04.15.2001.001;Mawar Séroja;36.04.15.2001".encode("utf-8"),
             "36.04.15.2001.002;Melati Café;36.04.15.2001".encode("cp1252")]
    path = tmp_path / "campur.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    [result] = import_files([path], db_path, kind="posyandu")
    assert result.rows_loaded == 2 and result.status == "warning"
    assert "Windows-1252" in result.warnings[0] and result.warnings[0].endswith(": 3")
    assert query(db_path, "select name from posyandu order by name") == [("Mawar Séroja",), ("Melati Café",)]


def test_personal_data_in_the_wrong_column_or_heading_is_masked_everywhere(tmp_path, db_path, capsys):
    nik, name, born = "3604150101240077", "Siti Aminah", "05/01/2024"
    head = HEAD + [nik, name, "12/03/2023"]  # personal data typed into three headings
    rows = [head, child(1) + ["", "", ""],
            child(2)[:3] + [nik] + child(2)[4:] + ["", "", ""],        # a NIK in the weight column
            child(3)[:3] + [name] + child(3)[4:] + ["", "", ""],       # a name in the weight column
            child(4)[:4] + [born] + child(4)[5:] + ["", "", ""],       # a birth date in the length column
            child(5)[:6] + [nik] + ["", "", ""]]                       # a NIK as the posyandu name
    path = write_csv(tmp_path / "salah_kolom.csv", rows)
    from dashboard.cli import main

    assert main(["import", str(path), "--db", str(db_path)]) == 0
    printed = capsys.readouterr().out
    stored = query(db_path, "select string_agg(coalesce(value, '') || column_name, '|') from rejects")[0][0]
    stored += query(db_path, "select columns_ignored from import_batches")[0][0]
    stored += " ".join(n or "" for (n,) in query(db_path, "select name from posyandu"))
    assert query(db_path, "select count(*) from rejects")[0][0] == 4
    for secret in (nik, name, born, "12/03/2023"):
        assert secret not in printed and secret not in stored, secret
    assert "karakter disamarkan" in stored


@pytest.fixture
def tiny_disk(tmp_path):
    """A 3 MB tmpfs: the import's rows cannot be written there in full."""
    mount = tmp_path / "kecil"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_is_a_clear_message_and_the_database_is_unchanged(tmp_path, db_path, tiny_disk, capsys):
    live = tiny_disk / "posyandu.duckdb"
    shutil.copyfile(db_path, live) if db_path.stat().st_size < 1024 * 1024 else None
    if not live.exists():
        import duckdb

        duckdb.connect(str(live)).close()
    before = _contents(live)
    big = write_csv(tmp_path / "besar.csv", [HEAD] + [child(i % 90 + 1, born=f"{i % 28 + 1:02d}/01/2024")
                                                      for i in range(60_000)])
    from dashboard.cli import main

    assert main(["import", str(big), "--db", str(live)]) == 1
    printed = capsys.readouterr()
    assert DISK_FULL in printed.out and "Traceback" not in printed.out + printed.err
    assert _contents(live) == before  # the write happens in place: the state is the guarantee, not the bytes
    assert not [p for p in os.listdir(tiny_disk) if p.endswith(".compact")]


def _contents(db: Path) -> dict:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        return {t: con.execute(f"select * from {t} order by all").fetchall() for t in tables}
