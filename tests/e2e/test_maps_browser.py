"""The village map in a real browser: the polygons are fetched from the app's static files and drawn,
and a click on a kecamatan drills the shared filter (and the URL) down to it."""

from __future__ import annotations

import pytest

from dashboard.maps import boundaries
from tests.e2e.conftest import TIMEOUT, assert_no_streamlit_exception, screenshot, start_app, wait_for_charts_drawn
from tests.e2e.login import open_logged_in, use_test_users
from tests.maps.conftest import need

pytestmark = pytest.mark.e2e

MAP = ".js-plotly-plot:has(.maplibregl-canvas)"
# Where a kecamatan of Kab Serang lies (a point inside 36.04.15 Cikande), projected by the page's own map.
CIKANDE = (106.3577, -6.19245)
_MAP_OBJECT = f"const map = document.querySelector('{MAP}')._fullLayout.map._subplot.map;"   # its MapLibre map


def test_the_map_draws_and_a_click_drills_down(page, tmp_path, demo_db, monkeypatch):
    monkeypatch.setenv(boundaries.ENV_VAR, str(need(boundaries.BUNDLED_DIR / "desa_36_banten.parquet")))
    use_test_users(monkeypatch)
    url, app = start_app(demo_db, tmp_path / "streamlit.log")
    try:
        open_logged_in(page, f"{url}/stunting?wilayah=36.04&periode=2025")
        plot = page.locator(MAP).first
        plot.wait_for(timeout=60_000)
        plot.scroll_into_view_if_needed()
        drawn = page.wait_for_function(
            """() => { const d = [...document.querySelectorAll('.js-plotly-plot')].find(e => e.querySelector('.maplibregl-canvas'));
                       const url = d && d._fullData[0].geojson;
                       const assets = window.PlotlyGeoAssets || {};
                       return url && assets[url] && assets[url].features ? assets[url].features.length : null; }""",
            timeout=30_000).json_value()
        assert drawn == 29                                        # Kab Serang's kecamatan, fetched once as GeoJSON
        wait_for_charts_drawn(page)
        page.wait_for_function(f"() => {{ {_MAP_OBJECT} return map.loaded() && map.areTilesLoaded(); }}",
                               timeout=TIMEOUT)                   # MapLibre has drawn everything it fetched
        assert_no_streamlit_exception(page)
        screenshot(page, "map_stunting_kab_serang")
        x, y = page.evaluate(f"""([lon, lat]) => {{ {_MAP_OBJECT}
            const point = map.project([lon, lat]);
            const box = map.getCanvas().getBoundingClientRect();
            return [box.left + point.x, box.top + point.y]; }}""", list(CIKANDE))
        page.mouse.move(x, y)
        page.mouse.click(x, y)
        page.wait_for_url("**wilayah=36.04.15**", timeout=30_000)
        page.get_by_text("Banten › Kabupaten Serang › Cikande").first.wait_for(timeout=30_000)
        assert "periode=2025" in page.url
        assert_no_streamlit_exception(page)
    finally:
        app.terminate()
        app.wait(timeout=10)
