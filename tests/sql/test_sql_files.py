"""Every SQL file is one statement with a header that tells the truth about its parameters."""

from __future__ import annotations

import duckdb
import pytest

from dashboard.config import settings
from dashboard.db import create_schema, load_sql
from dashboard.ingest.datasets import DATASETS

SQL_FILES = sorted(settings().queries_dir.rglob("*.sql"))


def test_there_are_sql_files():
    assert len(SQL_FILES) >= 9


@pytest.mark.parametrize("path", SQL_FILES, ids=lambda p: str(p.relative_to(settings().queries_dir)))
def test_header_and_parameters(path):
    relative = path.relative_to(settings().queries_dir).with_suffix("")
    sql = load_sql(str(relative))
    assert sql.purpose and sql.grain, "every file declares -- purpose: and -- grain:"
    assert "-- params:" in sql.sql
    assert sql.used_params() == set(sql.params), f"declared {sql.params}, used {sql.used_params()}"


def test_loader_refuses_two_statements(tmp_path, monkeypatch):
    (tmp_path / "bad.sql").write_text("-- purpose: x\n-- grain: x\n-- params: none\nselect 1; select 2;\n")
    monkeypatch.setenv("POSYANDU_DB", str(tmp_path / "x.duckdb"))
    monkeypatch.setattr("dashboard.db.settings", lambda: type("S", (), {"queries_dir": tmp_path})())
    with pytest.raises(ValueError, match="exactly one SQL statement"):
        load_sql("bad")


def test_schema_has_every_column_the_loader_writes():
    con = duckdb.connect()
    create_schema(con)
    for table, dataset in DATASETS.items():  # the loader stores the schema's columns; keys must be among them
        present = {r[0] for r in con.execute(f"describe {table}").fetchall()}
        assert set(dataset.natural_key) <= present, (table, set(dataset.natural_key) - present)
        assert {"batch_id"} <= present


def test_declared_values_name_a_catalogue_list():
    """``-- values: column in path``: the path is a list (or table) of the catalogue, so the grain test can read it."""
    from dashboard.indicators import catalogue

    declared = [(path, column, where) for path in SQL_FILES
                for column, where in load_sql(str(path.relative_to(settings().queries_dir).with_suffix(""))).values]
    assert len(declared) >= 8
    for path, column, where in declared:
        node = catalogue()
        for part in where.split("."):
            assert part in node, (path.name, column, where)
            node = node[part]
        assert isinstance(node, (list, dict)) and node, (path.name, where)
        assert column in path.read_text(), (path.name, column)
