"""Z-scores computed a few measurements at a time equal those computed in one pass, and only
measurements still pending are touched."""

from __future__ import annotations

from dashboard.build import refresh_zscores
from dashboard.db import writer
from dashboard.ingest.loader import import_files
from tests.conftest import query, write_csv

HEAD = ["NIK", "JK", "Tgl Lahir", "Tgl Ukur", "BB", "TB", "Cara Ukur", "Edema", "Kode Desa", "Posyandu"]
Z = ("age_days, lenhei_adj_cm, measure_error, haz, waz, whz, baz, flag_haz, flag_waz, flag_whz, flag_baz, "
     "haz_status, waz_status, whz_status, baz_status")


def export_rows() -> list[list[str]]:
    rows = [HEAD]
    for child in range(12):
        for month in range(1, 4):
            rows.append([f"3604150101230{child:03d}", "LP"[child % 2], f"{child % 28 + 1:02d}/01/2024",
                         f"0{month}/0{month + 5}/2025", f"{8 + child / 4 + month / 10:.1f}".replace(".", ","),
                         f"{70 + child + month}", "L", "Ya" if child == 5 else "", "3604152001", "Melati 1"])
    return rows


def zscored(db, chunk_rows: int) -> list[tuple]:
    stored = query(db, "select count(*) from measurements")[0][0]
    with writer(db) as con:
        assert refresh_zscores(con, chunk_rows) == stored > 30
        assert refresh_zscores(con, chunk_rows) == 0  # nothing pending any more
    return query(db, f"select child_id, measured_on, {Z} from measurements order by child_id, measured_on")


def test_zscores_in_chunks_equal_one_pass(tmp_path, template_db):
    import shutil

    export = write_csv(tmp_path / "ukur.csv", export_rows())
    one, chunked = tmp_path / "one.duckdb", tmp_path / "chunked.duckdb"
    for db in (one, chunked):
        shutil.copyfile(template_db, db)
        import_files([export], db)
    whole = zscored(one, 1_000_000)
    in_fives = zscored(chunked, 5)  # several passes, the last one short
    assert in_fives == whole
    assert all(row[5] is not None for row in whole)  # haz computed everywhere (length given)


def test_refresh_leaves_scored_rows_alone(tmp_path, db_path):
    import_files([write_csv(tmp_path / "ukur.csv", export_rows())], db_path)
    with writer(db_path) as con:
        refresh_zscores(con, 7)
        con.execute("update measurements set haz = 99 where child_id = '3604150101230002'")
        con.execute("update measurements set zscored_at = null where child_id = '3604150101230003'")
        assert refresh_zscores(con, 2) == 3  # only the three reset rows
    assert query(db_path, "select count(*) from measurements where haz = 99") == [(3,)]
