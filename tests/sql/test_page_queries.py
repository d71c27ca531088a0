"""Page queries that compute a statistic in SQL, against pandas on small hand-made tables."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

from dashboard.db import run_query
from dashboard.indicators import catalogue, load_reference_tables

YEAR = date(2025, 1, 1)


def test_pkk_correlation_is_spearmans_r_over_villages_with_enough_children():
    rng = np.random.default_rng(5)
    minimum = catalogue()["small_numbers"]["min_denominator"]
    villages = [f"36.04.15.{2001 + i}" for i in range(40)]
    columns = [spec["column"] for spec in catalogue()["pkk"]["indicators"].values()]
    households = rng.integers(20, 60, len(villages))
    pkk = pd.DataFrame({"village_code": villages, "year": YEAR, "households": households,
                        **{c: (households * rng.choice([0.2, 0.5, 0.5, 0.8], len(villages))).astype(int) for c in columns}})
    children = rng.integers(minimum - 10, minimum + 40, len(villages))
    prevalence = pd.DataFrame({"region_code": villages, "indicator": "stunting", "period_type": "year",
                               "period_start": YEAR, "denominator": children,
                               "prevalence": rng.choice([10.0, 20.0, 20.0, 30.0, 35.5], len(villages))})
    con = duckdb.connect()
    load_reference_tables(con)
    con.execute("create table pkk_village_year as select * from pkk")
    con.execute("create table prevalence as select * from prevalence")
    got = run_query(con, "pages/pkk/correlation", {"region": "36.04", "year": YEAR}).set_index("column_name")

    enough = pkk.merge(prevalence, left_on="village_code", right_on="region_code")
    enough = enough[enough.denominator >= minimum]
    assert set(got.index) == set(columns) and 5 < len(enough) < len(villages)
    for column in columns:
        share = 100 * enough[column] / enough.households
        assert got.villages[column] == len(enough)
        assert np.isclose(got.spearman_r[column], share.corr(enough.prevalence, method="spearman"))


def test_active_in_a_field_is_enough_activities_inside_the_period_and_both_spm_queries_use_that_one_macro():
    from dashboard.db import load_sql

    least = catalogue()["spm"]["active_min_activities"]
    rows = [("P1", "kesehatan", date(2025, 2, 1), least),            # enough, inside the period: active
            ("P1", "sosial", date(2025, 2, 1), least - 1),           # one short: not active in that field
            ("P2", "kesehatan", date(2024, 12, 1), least),           # before the period
            ("P2", "kesehatan", date(2025, 1, 1), least - 1),
            ("P3", "pendidikan", date(2025, 4, 1), least),           # the end month is outside
            ("P4", "pendidikan", date(2025, 1, 1), least - 1),       # enough only over two months: active
            ("P4", "pendidikan", date(2025, 3, 1), 1)]
    con = duckdb.connect()
    load_reference_tables(con)
    con.execute("create table posyandu_field_month (posyandu_id varchar, field varchar, month date, activities integer)")
    con.executemany("insert into posyandu_field_month values (?, ?, ?, ?)", rows)
    con.execute(load_sql("macros/active_posyandu_fields").sql)
    got = con.execute("select * from active_posyandu_fields(date '2025-01-01', date '2025-04-01') order by all")
    assert got.fetchall() == [("P1", "kesehatan"), ("P4", "pendidikan")]
    for name in ("field_areas", "posyandu"):
        text = load_sql(f"pages/spm/{name}").sql
        assert "active_posyandu_fields($start, $end)" in text and "posyandu_field_month" not in text
