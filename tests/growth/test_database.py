"""After an import every measurement carries z-scores, flags and statuses, and the marts exist."""

from __future__ import annotations

import pytest

from dashboard.build import refresh
from dashboard.ingest.loader import import_files
from tests.conftest import query, write_csv
from tests.growth.reference import reference

HEAD = ["NIK", "JK", "Tgl Lahir", "Tgl Ukur", "BB", "TB", "Cara Ukur", "Edema", "Kode Desa", "Posyandu"]


def test_import_computes_zscores_statuses_and_marts(tmp_path, db_path):
    export = write_csv(tmp_path / "ukur.csv", [HEAD,
        ["3604150101230001", "L", "01/01/2024", "01/08/2025", "9,5", "75,2", "L", "", "3604152001", "Melati 1"],
        ["3604150101230001", "L", "01/01/2024", "01/09/2025", "9,9", "", "", "", "3604152001", "Melati 1"],
        ["3604150101230002", "P", "01/01/2023", "01/08/2025", "9,0", "80", "L", "", "3604152001", "Melati 1"],
        ["3604150101230003", "P", "01/03/2025", "01/08/2025", "6,0", "62", "H", "", "3604152001", "Melati 1"],
        ["3604150101230004", "L", "01/01/2024", "01/08/2025", "7,0", "70", "L", "Ya", "3604152001", "Melati 1"],
    ])
    import_files([export], db_path, after_load=refresh)
    rows = query(db_path, "select child_id, measured_on, age_days, sex, weight_kg, lenhei_cm, measure, oedema, haz, waz,"
                          " whz, baz, measure_error, haz_status, whz_status, zscored_at is not null "
                          "from measurements order by 1, 2")
    assert len(rows) == 5 and all(r[-1] for r in rows)
    for row in rows:
        want = reference(row[3], row[2], row[4], row[5], row[6], bool(row[7]))
        for got, expected in zip(row[8:12], want):
            assert (got is None) == (expected is None) and (got is None or got == pytest.approx(expected, abs=1e-9))
    by_child = {r[0]: r for r in rows}
    assert by_child["3604150101230003"][12] is True  # 5 months old recorded standing
    assert by_child["3604150101230004"][14] == "gizi buruk"  # oedema
    assert query(db_path, "select count(*) from child_months") == [(5,)]  # child 1 in August and September
    assert query(db_path, "select naik from child_months where child_id = '3604150101230001' "
                          "and month = date '2025-09-01'") == [(True,)]  # +400 g at 20 months >= 200 g
    assert query(db_path, "select numerator, denominator from prevalence where region_code = '36' and "
                          "period_type = 'year' and indicator = 'stunting'")[0][1] == 4


def test_reimport_with_corrections_recomputes(tmp_path, db_path):
    first = [HEAD, ["3604150101230001", "L", "01/01/2024", "01/08/2025", "9,5", "75", "L", "", "3604152001", ""]]
    import_files([write_csv(tmp_path / "a.csv", first)], db_path, after_load=refresh)
    before = query(db_path, "select haz from measurements")[0][0]
    second = [HEAD, ["3604150101230001", "L", "01/01/2024", "01/08/2025", "9,5", "70", "L", "", "3604152001", ""]]
    import_files([write_csv(tmp_path / "b.csv", second)], db_path, after_load=refresh)
    after = query(db_path, "select haz from measurements")[0][0]
    assert after < before and after == pytest.approx(reference(1, 578, 9.5, 70.0, "L", False)[0])
