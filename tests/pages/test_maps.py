"""The map sections on the pages (AppTest, tiny demo, real boundaries): drawn for the right areas and
values, the level and classes follow the catalogue, and without boundaries the page still works."""

from __future__ import annotations

import pytest

from dashboard.maps import boundaries
from tests.conftest import frame
from tests.maps.conftest import need
from tests.pages.test_indicator_pages import open_page


def _maps(app):
    return [chart for chart in app.get("plotly_chart") if '"choroplethmap"' in chart.proto.spec]


@pytest.fixture
def shared_boundaries(monkeypatch):
    monkeypatch.setenv(boundaries.ENV_VAR, str(need(boundaries.BUNDLED_DIR / "desa_36_banten.parquet")))


def test_the_stunting_map_colours_the_kecamatan_of_a_kabupaten(monkeypatch, demo_db, shared_boundaries):
    import json

    app = open_page(monkeypatch, demo_db, "pages/stunting.py", {"wilayah": "36.04", "periode": "2025"}, "en")
    assert not app.exception
    [chart] = _maps(app)
    spec = json.loads(chart.proto.spec)
    drawn = {code: trace["name"] for trace in spec["data"] for code in trace["locations"]}
    kecamatan = frame(demo_db, "select code from regions where level = 'kecamatan' and parent_code = '36.04'")
    assert set(drawn) == set(kecamatan.code)                     # every kecamatan, with data or not
    measured = frame(demo_db, """select region_code, numerator, denominator, prevalence from prevalence
                                 where level = 'kecamatan' and indicator = 'stunting' and period_type = 'year'
                                 and period_start = '2025-01-01' and region_code like '36.04.%'""")
    for row in measured.itertuples():
        if row.denominator < 30:
            assert drawn[row.region_code].startswith("Children < 30")
        else:   # the WHO/UNICEF band the prevalence falls in
            band = next(b for b in ("≥ 30%", "20–<30%", "10–<20%", "2.5–<10%", "0–<2.5%")
                        if row.prevalence >= float(b.lstrip("≥ ").split("–")[0].rstrip("%")))
            assert drawn[row.region_code].startswith(band), (row, drawn[row.region_code])
    no_data = set(kecamatan.code) - set(measured.region_code)
    assert all(drawn[c].startswith("No data") for c in no_data) and no_data
    assert app.selectbox(key="stunting_map_level_36.04_stunting").value == "kecamatan"   # villages have < 30 children


def test_the_overview_map_offers_every_catalogue_indicator(monkeypatch, demo_db, shared_boundaries):
    app = open_page(monkeypatch, demo_db, "pages/ringkasan.py", {"wilayah": "36.04.15", "periode": "2025"})
    assert not app.exception and len(_maps(app)) == 1
    indicator = app.selectbox(key="overview_map_indicator")
    assert "ds" in indicator.options or any("D/S" in o for o in indicator.options)
    app = indicator.set_value("overdue_referrals").run()                          # counts, not rates
    assert not app.exception and len(_maps(app)) == 1
    assert app.radio(key="overview_map_scheme").value in ("quantiles", "natural_breaks")


def test_a_village_shows_the_map_of_its_kecamatan(monkeypatch, demo_db, shared_boundaries):
    import json

    app = open_page(monkeypatch, demo_db, "pages/rujukan.py", {"wilayah": "36.04.15.2001", "periode": "2026"})
    assert not app.exception
    [chart] = _maps(app)
    codes = {c for trace in json.loads(chart.proto.spec)["data"] for c in trace["locations"]}
    assert "36.04.15.2001" in codes and all(c.startswith("36.04.15.") for c in codes)


def test_without_boundary_files_the_page_says_so_and_works(monkeypatch, demo_db, tmp_path):
    monkeypatch.setenv(boundaries.ENV_VAR, str(tmp_path))          # a folder with no boundary file
    app = open_page(monkeypatch, demo_db, "pages/stunting.py", {"wilayah": "36.04", "periode": "2025"}, "en")
    assert not app.exception and not _maps(app)
    assert any("No map" in info.value for info in app.info)
    assert len(app.get("plotly_chart")) >= 3                        # the other charts are still drawn


def test_an_unreadable_boundary_file_is_a_warning_not_a_crash(monkeypatch, demo_db, tmp_path):
    broken = tmp_path / "desa.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [')
    monkeypatch.setenv(boundaries.ENV_VAR, str(broken))
    app = open_page(monkeypatch, demo_db, "pages/strata.py", {"wilayah": "36.04", "periode": "2025"}, "en")
    assert not app.exception and not _maps(app)
    assert any("could not be read" in w.value for w in app.warning)


def test_the_quality_page_reports_how_boundaries_join(monkeypatch, demo_db, shared_boundaries):
    app = open_page(monkeypatch, demo_db, "pages/kualitas.py", {"wilayah": "36", "periode": "2025"}, "en")
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Villages with a polygon"] == "1,552 / 1,552"
    assert metrics["Villages without a polygon"] == "0" and metrics["Polygons without a village"] == "0"
