"""Every table and mart that declares a key in its header really has unique keys (dbt-style)."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from dashboard.config import settings
from dashboard.db import load_sql, run_query, sql_files
from dashboard.indicators import catalogue
from tests.sql.test_marts import mart_db  # noqa: F401  (the fixture)

DECLARED = [(f.name, f.key) for folder in ("schema", "marts") for f in sql_files(folder) if f.key]



def test_every_table_declares_its_key():
    assert {name for name, _ in DECLARED} >= {"measurements", "referrals", "posyandu_monthly", "prevalence",
                                               "child_months", "skdn_posyandu_month", "child_period_z"}


@pytest.mark.parametrize("table, key", DECLARED, ids=[name for name, _ in DECLARED])
def test_keys_are_unique(mart_db, table, key):  # noqa: F811
    con, _ = mart_db
    columns = ", ".join(key)
    duplicates = con.execute(f"select {columns}, count(*) from {table} group by all having count(*) > 1").fetchall()
    assert duplicates == []
    if table in ("child_months", "prevalence", "child_period_z", "measurements"):
        assert con.execute(f"select count(*) from {table}").fetchall()[0][0] > 0


# Page queries and checks (dbt's unique / not_null / accepted_values / relationships), on the tiny demo.
PAGE_QUERIES = [f"{p.parent.relative_to(settings().queries_dir)}/{p.stem}"
                for p in sorted(settings().queries_dir.glob("pages/**/*.sql")) + sorted(
                    settings().queries_dir.glob("checks/*.sql"))]
# A kabupaten over a year, a kecamatan over a quarter, a village over a month (no areas below it).
SCENES = {
    "kab-year": dict(region="36.04", child_level="kecamatan", level="kecamatan", period_type="year",
                     period_start=date(2025, 1, 1), previous_start=date(2024, 1, 1), start=date(2025, 1, 1),
                     end=date(2026, 1, 1), year=date(2025, 1, 1), previous_year=date(2024, 1, 1),
                     as_of=date(2025, 12, 31), province="36", year_start=date(2025, 1, 1), year_end=date(2026, 1, 1),
                     code="36.04", parent="36", codes=["36.04", "36.04.15"], indicator="stunting",
                     latest_start=date(2025, 1, 1), since=date(2025, 6, 30)),
    "kec-quarter": dict(region="36.04.15", child_level="desa", level="desa", period_type="quarter",
                        period_start=date(2025, 7, 1), previous_start=date(2025, 4, 1), start=date(2025, 7, 1),
                        end=date(2025, 10, 1), year=date(2025, 1, 1), previous_year=date(2024, 1, 1),
                        as_of=date(2025, 9, 30), province="36", year_start=date(2025, 1, 1),
                        year_end=date(2026, 1, 1), code="36.04.15", parent="36.04", codes=["36.04.15"],
                        indicator="wasting", latest_start=date(2025, 7, 1), since=date(2025, 8, 1)),
    "desa-month": dict(region="62.71.01.1001", child_level="", level="desa", period_type="month",
                       period_start=date(2026, 5, 1), previous_start=date(2026, 4, 1), start=date(2026, 5, 1),
                       end=date(2026, 6, 1), year=date(2026, 1, 1), previous_year=date(2025, 1, 1),
                       as_of=date(2026, 5, 31), province="62", year_start=date(2026, 1, 1),
                       year_end=date(2027, 1, 1), code="62.71.01.1001", parent="", codes=["62.71.01.1001"],
                       indicator="stunting", latest_start=date(2026, 5, 1), since=date(2026, 4, 1)),
}
CODE_COLUMNS = ("code", "region_code", "village_code")


def accepted(path: str) -> set[str]:
    """The values a catalogue list allows: ``strata.levels`` (a list) or ``labels.status`` (a table's keys)."""
    node = catalogue()
    for part in path.split("."):
        node = node[part]
    return set(node)


@pytest.fixture(scope="module")
def demo_cursor(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        yield con


def test_every_page_query_declares_its_key():
    undeclared = [name for name in PAGE_QUERIES if "-- key:" not in load_sql(name).sql]
    assert undeclared == []


def scene_params(cursor, name: str, scene: str) -> dict:
    """The scene's value of each parameter the query declares; ``batch_id`` is a batch of the demo with
    rejected rows (batch numbers follow the order the demo's files were imported in)."""
    params = {p: SCENES[scene][p] for p in load_sql(name).params if p != "batch_id"}
    if "batch_id" in load_sql(name).params:
        params["batch_id"] = cursor.execute("select min(batch_id) from reject_rows").fetchone()[0]
    return params


@pytest.mark.parametrize("scene", SCENES)
@pytest.mark.parametrize("name", PAGE_QUERIES)
def test_page_query_grain(demo_cursor, name, scene):
    sql = load_sql(name)
    result = run_query(demo_cursor, name, scene_params(demo_cursor, name, scene))
    if not sql.key:                                   # "-- key: none": one row at the most
        assert len(result) <= 1, sql.grain
        return
    keys = result[list(sql.key)]
    assert not keys.isna().any().any(), f"null key in {name}"
    assert not keys.duplicated().any(), keys[keys.duplicated(keep=False)]
    for column, path in sql.values:
        assert set(result[column].dropna()) <= accepted(path), (column, set(result[column]) - accepted(path))
    codes = {c for column in CODE_COLUMNS if column in result for c in result[column].dropna()}
    known = {c for (c,) in demo_cursor.execute("select code from regions where code in (select unnest($c))",
                                               {"c": sorted(codes)}).fetchall()}
    assert codes <= known, codes - known


def test_page_queries_return_rows_on_the_demo(demo_cursor):
    """The grain checks above would pass on empty results: most queries must return rows for a kabupaten."""
    empty = [name for name in PAGE_QUERIES if run_query(demo_cursor, name, scene_params(demo_cursor, name, "kab-year")).empty]
    # the tiny demo has no village with enough children measured for a correlation, and no export that
    # reports its own z-scores or ages (e-PPGBM's; tests/ingest/test_real_layouts.py covers them)
    assert set(empty) <= {"pages/pkk/correlation", "checks/quality_warnings", "pages/kualitas/reported"}, empty
