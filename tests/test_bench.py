"""The benchmark's page-query part runs on the tiny demo (no timing is asserted: figures go in the
README, not in tests)."""

from __future__ import annotations

from pathlib import Path

from dashboard.bench import format_table, plan
from dashboard.bench.common import bench_login
from dashboard.bench.pages import LEVELS, app_pages, filter_combinations, page_query_times, summarise

INDICATOR_PAGES = {"ringkasan", "stunting", "strata", "rujukan", "pkk", "kualitas", "data", "publik"}


def test_page_query_part_returns_a_row_for_every_page(demo_db, tmp_path):
    pages = [url for url, script in app_pages() if script.exists()]
    assert len(pages) == len(app_pages()) and INDICATOR_PAGES <= set(pages)

    filters = filter_combinations(demo_db, per_level=1)
    assert len(filters) == len(LEVELS) * 3 and {f["wilayah"].count(".") for f in filters} == {0, 1, 2, 3}
    chosen = [filters[0], filters[-1]]  # a province with a year, a village with a month
    times = page_query_times(demo_db, chosen, bench_login(tmp_path / "users.json"))
    assert (times.errors == "").all(), times[times.errors != ""].errors.unique()
    assert set(times.page) == set(pages)
    ran = times[times["query"] != "(none)"]
    assert INDICATOR_PAGES <= set(ran.page)  # logged in, each page read its data (not a login form)
    assert ran[ran.filter_bar]["query"].str.startswith("pages/common/").all()

    rows = summarise(times, chosen)
    assert [r.what.split("`")[1] for r in rows[:-1]] == pages
    assert rows[-1].what.startswith("all pages") and "pages" in format_table(rows)


def test_plan_builds_a_demo_only_when_a_part_needs_one(tmp_path):
    existing = tmp_path / "demo.duckdb"
    existing.touch()
    assert plan(None, existing) == ["import", "zscores", "pages", "map", "browser", "static", "routine"]
    assert plan(["routine"], None) == ["demo", "routine"]
    assert plan(["pages"], None) == ["demo", "pages"]
    assert plan(["pages"], existing) == ["pages"]
    assert plan(["zscores"], None) == ["zscores"]
    assert plan(["demo", "import"], tmp_path / "missing.duckdb") == ["import", "demo"]
    assert plan(["growth"], None) == ["growth"]  # on request only: it builds the demo three times


def test_growth_part_splits_a_measurement_export_by_month(tmp_path):
    from dashboard.bench.growth import _split_by_month

    export = tmp_path / "pengukuran_3601.csv"
    lines = ["LAPORAN PENGUKURAN BALITA", "", "No;NIK;Tanggal Pengukuran;Berat (kg)"]
    lines += [f"{n};36010{n:011d};05/{month:02d}/2026;9,5" for n, month in enumerate(range(1, 9), start=1)]
    lines += ["9;3601000000000099;bukan tanggal;9,5"]
    export.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    out = tmp_path / "split"
    out.mkdir()
    base, months = _split_by_month(export, out)
    assert list(months) == [f"2026-{m:02d}" for m in range(3, 9)]
    assert base.read_text(encoding="utf-8").splitlines() == lines[:5] + lines[-1:]
    assert months["2026-05"].read_text(encoding="utf-8").splitlines() == lines[:3] + [lines[7]]


def test_routine_part_imports_a_month_and_a_correction_on_a_copy(demo_db, tmp_path):
    from dashboard.bench.common import Context
    from dashboard.bench.routine import CORRECTION_ROWS, routine_part

    before = demo_db.stat().st_mtime_ns
    rows = routine_part(Context(scale="tiny", db=demo_db, workdir=tmp_path))
    assert [r.what.split()[0] for r in rows] == ["full", "one", "a"]
    month, correction = rows[1], rows[2]
    assert "0 replaced" in month.note and f"{CORRECTION_ROWS} rows loaded, {CORRECTION_ROWS} replaced" in correction.note
    assert all("peak RSS" in r.note and r.figure.endswith(" s") for r in rows)
    assert demo_db.stat().st_mtime_ns == before   # the demo itself is left as it was


def test_map_part_measures_rebuild_size_and_drawing(demo_db, monkeypatch):
    """Runs on the real Banten boundaries (skipped without them or without Chromium, saying so)."""
    import pytest

    from dashboard.bench.common import Context
    from dashboard.bench.maps import map_part
    from dashboard.maps import boundaries
    from dashboard.serve import CHROMIUM
    from tests.maps.conftest import BANTEN, need

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: the map part draws in it")
    monkeypatch.setenv(boundaries.ENV_VAR, str(need(BANTEN)))
    rows = map_part(Context(scale="tiny", db=demo_db))
    what = [r.what for r in rows]
    assert any(w.startswith("prepare boundaries") for w in what) and any("after a filter change" in w for w in what)
    sizes = next(r for r in rows if r.what.startswith("figure JSON, Banten"))
    served, geojson, embedded = (float(x.split()[0]) for x in sizes.figure.split(" / "))
    assert served < geojson < embedded   # the app's figure names its polygons instead of carrying them
    assert all(r.figure.endswith(" s") for r in rows if "draws" in r.what)
