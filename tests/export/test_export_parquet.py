"""The Parquet export reads back with the same rows, columns and types, partitioned Hive-style."""

from __future__ import annotations

import json

import duckdb

from dashboard.cli import main
from tests.conftest import query


def _read_back(folder, table: str) -> str:
    return f"read_parquet('{folder}/{table}/**/*.parquet', hive_partitioning = true)"


def test_export_reads_back_equal(demo_db, tmp_path, capsys):
    out = tmp_path / "lake"
    assert main(["export-parquet", str(out), "--db", str(demo_db)]) == 0
    described = json.loads((out / "_tables.json").read_text())
    assert "rejects" not in described and not (out / "rejects").exists()
    assert described["measurements"]["partitioned_by"] == ["province", "year", "month"]
    assert {"measurements", "prevalence", "referrals", "posyandu_monthly", "regions"} <= set(described)
    con = duckdb.connect()
    for table, spec in described.items():
        rows = query(demo_db, f'select count(*) from "{table}"')[0][0]
        assert spec["rows"] == rows, table
        if not rows:
            continue
        back = con.execute(f"describe select * from {_read_back(out, table)}").fetchall()
        types = {name: kind for name, kind, *_ in back}
        for column in spec["columns"]:
            assert column["name"] in types, (table, column)
            if column["name"] not in ("province", "year", "month"):  # partition values come back as text/int
                assert types[column["name"]] == column["type"], (table, column)
        assert con.execute(f"select count(*) from {_read_back(out, table)}").fetchone()[0] == rows, table
    # the same child-level content, and every measurement under the folder of its own province and month
    original = query(demo_db, "select sum(hash(child_id, measured_on, weight_kg, haz)) from measurements")[0][0]
    exported = con.execute(f"select sum(hash(child_id, measured_on, weight_kg, haz)) "
                           f"from {_read_back(out, 'measurements')}").fetchone()[0]
    assert exported == original
    misplaced = con.execute(
        f"select count(*) from {_read_back(out, 'measurements')} "
        "where left(village_code, 2) <> province::varchar or year(measured_on) <> year "
        "or month(measured_on) <> month").fetchone()[0]
    assert misplaced == 0
    assert "measurements" in capsys.readouterr().out


def test_export_of_a_missing_database_says_so(tmp_path, capsys):
    assert main(["export-parquet", str(tmp_path / "out"), "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "does not exist" in capsys.readouterr().out
