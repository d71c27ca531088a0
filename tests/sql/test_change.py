"""Change per area between comparable periods (issue 16 §3) and the rolling twelve-month period (issue
19 §4) on the tiny demo, against counts made here from the measurements; and the significance test."""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest

from dashboard.change import two_proportion_change, with_change
from dashboard.db import run_query
from dashboard.periods import parse_period
from tests.conftest import frame


def test_two_proportion_z_test_against_the_formula():
    got = two_proportion_change([30, 60, 5, 0, None], [100, 100, 50, 0, 10], [20, 40, 5, 3, 1], [100, 100, 50, 10, 10])
    # 30/100 vs 20/100: pooled p = 0.25, se = sqrt(0.25 * 0.75 * 0.02), z = 0.1 / se = 1.633, p = 0.102
    se = math.sqrt(0.25 * 0.75 * 0.02)
    assert got.z[0] == pytest.approx(0.1 / se) and got.p_value[0] == pytest.approx(math.erfc(0.1 / se / math.sqrt(2)))
    assert got.change_pp[0] == pytest.approx(10.0) and not got.significant[0]
    # 60/100 vs 40/100: z = 0.2 / sqrt(0.5 * 0.5 * 0.02) = 2.83 > 1.96
    assert got.z[1] == pytest.approx(2.828427, abs=1e-6) and bool(got.significant[1])
    assert got.z[2] == 0 and not got.significant[2]                     # no change at all
    assert got.significant[3:].isna().all() and got.change_pp[3:].isna().all()   # empty now / unknown cases


def test_with_change_names_its_columns_by_prefix():
    rows = pd.DataFrame({"code": ["a", "b"], "x": [10, 1], "n": [40, 30], "px": [2, None], "pn": [40, None]})
    got = with_change(rows, "x", "n", "px", "pn", "stunting")
    assert got.stunting_previous_pct.tolist()[0] == pytest.approx(5.0)
    assert got.stunting_change_pp.tolist()[0] == pytest.approx(20.0) and bool(got.stunting_significant[0])
    assert pd.isna(got.stunting_change_pp[1]) and pd.isna(got.stunting_significant[1])


def _stunting_by_kecamatan(db, start, end) -> pd.DataFrame:
    """Stunting per kecamatan of Kab Serang counted here: each child's latest valid HAZ in [start, end),
    placed in the village of its latest measurement there (not through the marts)."""
    return frame(db, """
        with latest as (
            select child_id, arg_max(village_code, measured_on) as village_code,
                   arg_max(haz, measured_on) filter (where haz is not null and not coalesce(flag_haz, false)) as haz
            from measurements
            where measured_on >= $start and measured_on < $end and age_days between 0 and (select max_age_days from ref_growth)
            group by child_id
        )
        select left(village_code, 8) as code, count(haz) as n, count_if(haz < -2) as cases
        from latest where starts_with(village_code, '36.04.') group by 1""", {"start": start, "end": end})


@pytest.mark.parametrize("code", ["2026-Q3", "2025", "12m-2026-10", "2026-08"])
def test_areas_change_against_counts_made_here(demo_db, code):
    period = parse_period(code)
    with duckdb.connect(str(demo_db), read_only=True) as con:
        got = run_query(con, "pages/common/areas_change", {
            "region": "36.04", "level": "kecamatan", "indicator": "stunting", "period_type": period.type,
            "period_start": period.start, "previous_start": period.previous.start}).set_index("code")
    now = _stunting_by_kecamatan(demo_db, period.start, period.end).set_index("code")
    before = _stunting_by_kecamatan(demo_db, period.previous.start, period.start).set_index("code")
    assert set(now.index) <= set(got.index) and len(now)
    for code_, row in now.iterrows():
        assert (got.cases[code_], got.n[code_]) == (row.cases, row.n)
    for code_, row in before.iterrows():
        assert (got.previous_cases[code_], got.previous_n[code_]) == (row.cases, row.n)
    assert got.loc[~got.index.isin(now.index), "n"].isna().all()


def test_rolling_period_is_the_latest_measurement_per_child_in_twelve_months(demo_db):
    period = parse_period("12m-2026-10")
    assert (period.start.isoformat(), period.end.isoformat()) == ("2025-11-01", "2026-11-01")
    counted = _stunting_by_kecamatan(demo_db, period.start, period.end)
    with duckdb.connect(str(demo_db), read_only=True) as con:
        [(cases, n)] = con.execute("select numerator, denominator from prevalence where region_code = '36.04' and "
                                   "indicator = 'stunting' and period_type = 'rolling' and period_start = $s",
                                   {"s": period.start}).fetchall()
    assert (cases, n) == (counted.cases.sum(), counted.n.sum())


def test_a_decision_on_a_rolling_period_is_followed_in_the_latest_whole_rolling_period():
    from datetime import date

    from dashboard.meeting.review import _period_start

    assert _period_start("rolling", date(2026, 11, 1)) == parse_period("12m-2026-10").start
    assert _period_start("rolling", date(2026, 10, 15)) == parse_period("12m-2026-09").start
