"""Marts against independent pandas computations on a small real DuckDB database."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from dashboard.build import build_marts
from dashboard.db import create_schema
from dashboard.indicators import kbm_table

VILLAGES = ["36.04.15.2001", "36.04.15.2002", "36.04.16.2001", "62.71.01.1001"]


def random_measurements(seed: int = 3, children: int = 240) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for child in range(children):
        born = date(2022, 1, 1) + timedelta(days=int(rng.integers(0, 900)))
        village = VILLAGES[child % len(VILLAGES)]
        weight = 3.0 + rng.random()
        for month in range(1, 13):
            if rng.random() < 0.25:  # missed weighing
                continue
            day = date(2025, month, int(rng.integers(1, 28)))
            if day <= born:
                continue
            weight += rng.normal(0.25, 0.3)
            haz = rng.normal(-1.2, 1.3) if rng.random() < 0.7 else None
            waz = rng.normal(-0.8, 1.2)
            whz = rng.normal(-0.3, 1.1)
            rows.append({
                "child_id": f"C{child:04d}", "sex": 1 + child % 2, "birth_date": born, "measured_on": day,
                "weight_kg": round(max(weight, 2.0), 2), "lenhei_cm": 70.0, "measure": "L",
                "oedema": bool(rng.random() < 0.01), "village_code": village, "posyandu_id": f"{village}/p{child % 3}",
                "batch_id": 1, "source_row": len(rows) + 2, "age_days": (day - born).days,
                "haz": haz, "waz": waz, "whz": whz, "baz": 0.0,
                "flag_haz": haz is not None and abs(haz) > 6 or bool(rng.random() < 0.02),
                "flag_waz": False, "flag_whz": bool(rng.random() < 0.02), "flag_baz": False,
            })
    frame = pd.DataFrame(rows)
    frame.loc[frame.oedema, ["waz", "whz"]] = np.nan
    return frame


@pytest.fixture(scope="module")
def mart_db():
    con = duckdb.connect()
    create_schema(con)
    measurements = random_measurements()
    con.register("m", measurements)
    con.execute("insert into measurements by name select * from m")
    build_marts(con)
    yield con, measurements
    con.close()


def expected_child_months(measurements: pd.DataFrame) -> pd.DataFrame:
    kbm = dict(kbm_table().itertuples(index=False))
    out = []
    for child, rows in measurements.sort_values("measured_on").groupby("child_id"):
        rows = rows.assign(month=rows.measured_on.map(lambda d: date(d.year, d.month, 1)))
        last = rows.groupby("month").tail(1)
        previous = None
        previous_t = False
        for i, row in enumerate(last.itertuples()):
            age_months = int(row.age_days // 30.4375)
            consecutive = previous is not None and (
                (previous.month.month == row.month.month - 1 and previous.month.year == row.month.year)
                or (previous.month.month == 12 and row.month.month == 1))
            need = kbm.get(age_months)
            naik = tidak = False
            if consecutive and need is not None:
                gain = round((row.weight_kg - previous.weight_kg) * 1000)
                naik, tidak = gain >= need, gain < need
            two_t = tidak and previous_t and consecutive
            out.append((child, row.month, i == 0, consecutive, naik, tidak, i > 0 and not consecutive,
                        row.waz == row.waz and row.waz < -3, two_t))
            previous, previous_t = row, tidak
    return pd.DataFrame(out, columns=["child_id", "month", "first_visit", "weighed_last_month", "naik", "tidak_naik",
                                      "not_weighed_last_month", "bgm", "two_t"])


def test_child_months_match_an_independent_walk(mart_db):
    con, measurements = mart_db
    got = con.execute("select child_id, month, first_visit, weighed_last_month, naik, tidak_naik, "
                      "not_weighed_last_month, bgm, two_t from child_months order by child_id, month").df()
    want = expected_child_months(measurements).sort_values(["child_id", "month"]).reset_index(drop=True)
    assert len(got) == len(want) > 1000
    got["month"] = got["month"].map(lambda v: v.date() if hasattr(v, "date") else v)
    pd.testing.assert_frame_equal(got.astype({c: bool for c in got.columns[2:]}),
                                  want.astype({c: bool for c in want.columns[2:]}), check_dtype=False)
    assert got.naik.sum() > 50 and got.tidak_naik.sum() > 50 and got.two_t.sum() > 5


def test_skdn_derived_counts_add_up(mart_db):
    con, _ = mart_db
    rows = con.execute("select d_derived, n_derived, t_derived, o_derived, b_derived, d_both_months_derived "
                       "from skdn_posyandu_month").fetchall()
    assert rows
    for d, n, t, o, b, both in rows:
        assert n + t <= both and both + o + b == d  # D = N + T + O + B, where N + T covers D' with a KBM


def expected_prevalence(measurements: pd.DataFrame, period_type: str, cutoff: float, column: str,
                        oedema_counts: bool) -> pd.DataFrame:
    m = measurements[measurements.age_days.between(0, 1826)].copy()
    starts = {"month": lambda d: date(d.year, d.month, 1), "quarter": lambda d: date(d.year, 3 * ((d.month - 1) // 3) + 1, 1),
              "year": lambda d: date(d.year, 1, 1)}
    m["period_start"] = m.measured_on.map(starts[period_type])
    flag = {"haz": "flag_haz", "waz": "flag_waz", "whz": "flag_whz"}[column]
    usable = m[(m[column].notna() & ~m[flag]) | (oedema_counts & m.oedema)]
    area = m.sort_values("measured_on").groupby(["child_id", "period_start"]).village_code.last()
    latest = usable.sort_values("measured_on").groupby(["child_id", "period_start"]).tail(1).set_index(
        ["child_id", "period_start"])
    latest["village_code"] = area.loc[latest.index]
    latest["case"] = (latest[column] < cutoff) | (oedema_counts & latest.oedema)
    latest["kab"] = latest.village_code.str[:5]
    return latest.reset_index().groupby(["kab", "period_start"]).agg(numerator=("case", "sum"),
                                                                      denominator=("case", "size")).reset_index()


@pytest.mark.parametrize("indicator, column, cutoff, oedema", [
    ("stunting", "haz", -2, False), ("severe_stunting", "haz", -3, False), ("wasting", "whz", -2, True),
    ("underweight", "waz", -2, True)])
@pytest.mark.parametrize("period_type", ["month", "quarter", "year"])
def test_prevalence_matches_pandas_and_scipy_wilson(mart_db, indicator, column, cutoff, oedema, period_type):
    con, measurements = mart_db
    want = expected_prevalence(measurements, period_type, cutoff, column, oedema)
    got = con.execute("select region_code as kab, period_start, numerator, denominator, ci_low, ci_high "
                      "from prevalence where level = 'kabkota' and indicator = $i and period_type = $p",
                      {"i": indicator, "p": period_type}).df()
    got["period_start"] = got["period_start"].map(lambda v: v.date() if hasattr(v, "date") else v)
    merged = want.merge(got, on=["kab", "period_start"], how="outer", indicator=True)
    assert (merged._merge == "both").all()
    assert (merged.numerator_x == merged.numerator_y).all() and (merged.denominator_x == merged.denominator_y).all()
    for row in merged.itertuples():
        interval = binomtest(int(row.numerator_x), int(row.denominator_x)).proportion_ci(method="wilson")
        assert row.ci_low == pytest.approx(100 * interval.low, abs=1e-6)
        assert row.ci_high == pytest.approx(100 * interval.high, abs=1e-6)


def test_prevalence_levels_roll_up(mart_db):
    con, _ = mart_db
    totals = con.execute("select level, sum(denominator) from prevalence where indicator = 'stunting' and "
                         "period_type = 'year' group by level").fetchall()
    assert len({total for _, total in totals}) == 1 and len(totals) == 4
