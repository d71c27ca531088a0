"""Completeness of each area's periods on the tiny demo (issue 16 §2), against counts made here from the
canonical tables, and an early upload from one kabupaten that must not move anyone else's period."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dashboard.build import refresh
from dashboard.completeness import coverage_text, default_period, period_label
from dashboard.db import run_query
from dashboard.ingest.loader import import_files
from dashboard.periods import Period, parse_period, periods_covering
from tests.conftest import frame, write_csv


def _months_with_data(db: Path, prefix: str) -> set[date]:
    """Months in which some posyandu of the area sent a monthly report or weighed a child (counted here
    from the canonical tables, not the marts)."""
    rows = frame(db, """
        select distinct date_trunc('month', measured_on)::date as month from measurements where starts_with(village_code, $p)
        union select distinct month from posyandu_monthly where starts_with(village_code, $p)""", {"p": prefix})
    return {m.date() if hasattr(m, "date") else m for m in rows.month}


def _completeness(db: Path, region: str, period: Period):
    with duckdb.connect(str(db), read_only=True) as con:
        rows = run_query(con, "pages/common/completeness", {"region": region, "period_type": period.type,
                                                            "period_start": period.start})
    return rows.iloc[0] if len(rows) else None


def _period_rows(db: Path, region: str, kind: str):
    with duckdb.connect(str(db), read_only=True) as con:
        return run_query(con, "pages/common/period_completeness", {"region": region, "period_type": kind})


def _default(db: Path, region: str, kind: str) -> str:
    months = sorted(_months_with_data(db, ""))
    return default_period(periods_covering(months, kind), _period_rows(db, region, kind)).code


def _data_until(db: Path, region: str):
    with duckdb.connect(str(db), read_only=True) as con:
        return run_query(con, "pages/common/area_data_until", {"region": region}).iloc[0]


@pytest.mark.parametrize("region", ["36", "36.04", "36.04.15", "62.71", "62.71.01"])
@pytest.mark.parametrize("code", ["2026", "2025", "2024", "2026-Q4", "2026-Q3", "2026-10", "12m-2026-10", "12m-2025-06"])
def test_months_with_data_out_of_the_periods_months(demo_db, region, code):
    period = parse_period(code)
    months = {m for m in _months_with_data(demo_db, region) if period.start <= m < period.end}
    row = _completeness(demo_db, region, period)
    assert row is not None
    assert (int(row.months), int(row.months_with_data)) == (period.length_months, len(months))
    # the demo's posyandu all report every month: a period is complete exactly when every month has data
    assert bool(row.complete) == (len(months) == period.length_months)
    assert row.first_data_month.date() == min(months) and row.last_data_month.date() == max(months)


def test_the_default_period_is_the_latest_complete_one_and_partial_ones_say_so(demo_db):
    assert _default(demo_db, "36.04", "year") == "2025"            # 2026 has ten months
    assert _default(demo_db, "36.04", "quarter") == "2026-Q3"      # Q4 2026 has October only
    assert _default(demo_db, "36.04", "month") == "2026-10"
    assert _default(demo_db, "36.04", "rolling") == "12m-2026-10"
    row = _completeness(demo_db, "36.04", parse_period("2026"))
    assert period_label(parse_period("2026"), row, "id") == "Tahun 2026 (10 dari 12 bulan)"
    assert period_label(parse_period("2026"), row, "en") == "Year 2026 (10 of 12 months)"
    assert period_label(parse_period("2025"), _completeness(demo_db, "36.04", parse_period("2025")), "id") == "Tahun 2025"


@pytest.fixture(scope="module")
def early_upload(demo_db, tmp_path_factory) -> tuple[Path, set[str]]:
    """The demo plus 18 rows of Kab Serang weighed in November 2026, the month after the demo's last:
    October's rows of the fewest posyandu, re-dated (one posyandu's early upload)."""
    base = tmp_path_factory.mktemp("early")
    db = base / "early.duckdb"
    shutil.copyfile(demo_db, db)
    source = next((demo_db.parent / "files").glob("pengukuran_3604.csv"))
    with open(source, encoding="utf-8") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    head_at = next(i for i, r in enumerate(lines) if r and r[0] == "No")
    head, body = lines[head_at], [r for r in lines[head_at + 1:] if len(r) > 5]
    measured, desa, posyandu = head.index("Tanggal Pengukuran"), head.index("Desa/Kelurahan"), head.index("Posyandu")
    october = sorted((r for r in body if r[measured].endswith("/10/2026")), key=lambda r: (r[posyandu], r[0]))[:18]
    assert len(october) == 18
    rows = [[*r[:measured], r[measured].replace("/10/2026", "/11/2026"), *r[measured + 1:]] for r in october]
    path = write_csv(base / "pengukuran_3604_november.csv", [head, *rows])
    [result] = import_files([path], db, after_load=refresh)
    assert result.rows_loaded == 18, result
    return db, {(r[desa], r[posyandu]) for r in rows}     # a posyandu's name repeats across villages


def test_an_early_upload_moves_no_other_area_and_is_labelled_partial(demo_db, early_upload):
    db, posyandu_names = early_upload
    november = parse_period("2026-11")
    for region in ("36", "62", "62.71", "62.71.01", "36.04"):
        for kind in ("year", "quarter", "month", "rolling"):
            assert _default(db, region, kind) == _default(demo_db, region, kind), (region, kind)
        assert _data_until(db, region).last_complete_month == _data_until(demo_db, region).last_complete_month
    assert _data_until(db, "36.04").last_complete_month.date() == date(2026, 10, 1)
    assert _data_until(db, "36.04").last_data_month.date() == date(2026, 11, 1)

    # Kab Serang's November: data in its one month, but only the uploading posyandu of all its usual ones
    usual = frame(db, "select count(distinct posyandu_id) as n from posyandu_monthly "
                      "where starts_with(village_code, '36.04') and month = date '2026-10-01'").n.iloc[0]
    row = _completeness(db, "36.04", november)
    assert (int(row.months_with_data), bool(row.complete)) == (1, False)
    assert row.reporting_pct == pytest.approx(100 * len(posyandu_names) / usual)
    assert coverage_text(row, "id") == f"sebagian: {100 * len(posyandu_names) / usual:.0f}% posyandu melapor"
    assert _completeness(db, "62.71", november) is not None and not _completeness(db, "62.71", november).months_with_data


def test_data_until_and_coverage_for_callers_outside_the_pages(demo_db, early_upload):
    from dashboard.completeness import coverage_of, data_until

    db, _ = early_upload
    with duckdb.connect(str(db), read_only=True) as con:
        assert data_until(con, "36") == data_until(con, "36.04") == data_until(con, "62") == date(2026, 10, 1)
        assert coverage_of(con, "36", parse_period("2026-11"))["complete"] is False
        assert coverage_of(con, "36", parse_period("2025"))["complete"] is True
        assert coverage_of(con, "11", parse_period("2025")) is None          # Aceh: no data at all
