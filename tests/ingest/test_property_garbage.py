"""Random garbage rows never crash the importer, and every row is always accounted for."""

from __future__ import annotations

import itertools
import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.ingest.loader import import_files
from tests.conftest import query, write_csv

HEADINGS = {
    "measurements": ["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "TB", "Cara Ukur", "Edema", "Kabupaten",
                     "Kecamatan", "Desa", "Posyandu"],
    "referrals": ["No Rujukan", "Tgl Rujukan", "Sasaran", "Alasan Rujukan", "Dirujuk Ke", "Status", "Tgl Diterima",
                  "Tgl Selesai", "Kode Desa"],
    "posyandu_monthly": ["Posyandu", "Kode Desa", "Bulan", "Tahun", "Buka", "Kader Aktif", "S", "D", "N", "2T"],
}
PLAUSIBLE = ["", "L", "P", "01/08/2025", "2024-02-30", "9,5", "1.234", "-3", "3604152001", "36.04.15.2001",
             "KAB. SERANG", "Cikande", "Ya", "Selesai", "Puskesmas", "Balita", "Gizi Buruk", "Agustus", "2025",
             "3.6011E+15", "=SUM(A1:A3)", "NULL", "'; drop table measurements; --", "😀", "\t", "0"]
cell = st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=12))
counter = itertools.count()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(HEADINGS)), body=st.lists(st.lists(cell, min_size=0, max_size=14), max_size=12),
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_garbage_rows_are_loaded_rejected_or_duplicates(kind, body, delimiter, tmp_path, template_db):
    folder = tmp_path / f"case{next(counter)}"
    folder.mkdir()
    db = folder / "db.duckdb"
    shutil.copyfile(template_db, db)
    export = write_csv(folder / "garbage.csv", [HEADINGS[kind]] + body, delimiter=delimiter)
    [result] = import_files([export], db, kind=kind)
    if result.error:  # a whole-file refusal must be one readable line, and write nothing
        assert "\n" not in result.error and "internal error" not in result.error
        assert query(db, "select count(*) from import_batches") == [(0,)]
        return
    assert result.adds_up, result
    loaded = query(db, f"select count(*) from {kind}")[0][0]
    rejected_rows = query(db, "select count(distinct source_row) from rejects")[0][0]
    assert (loaded, rejected_rows) == (result.rows_loaded, result.rows_rejected)
    assert query(db, "select rows_read, rows_loaded, rows_rejected, rows_duplicate from import_batches") == [
        (result.rows_read, result.rows_loaded, result.rows_rejected, result.rows_duplicate)]
