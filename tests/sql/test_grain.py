"""Every table and mart that declares a key in its header really has unique keys (dbt-style)."""

from __future__ import annotations

import pytest

from dashboard.db import sql_files
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
