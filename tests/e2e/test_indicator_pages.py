"""Every indicator page in a real browser on the tiny demo: the charts draw, no exception shows,
and a shared URL opens the same area and period."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_no_streamlit_exception, screenshot, start_app

pytestmark = pytest.mark.e2e

PAGES = ["", "stunting", "strata", "rujukan", "pkk", "kualitas"]


def test_pages_draw_in_chromium(page, tmp_path, demo_db):
    url, app = start_app(demo_db, tmp_path / "streamlit.log")
    try:
        for name in PAGES:
            page.goto(f"{url}/{name}?wilayah=36.04&periode=2025")
            page.get_by_text("Banten › Kabupaten Serang").first.wait_for(timeout=30_000)  # the page's caption
            if name:  # the overview is figures and a table, no chart
                page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
            page.wait_for_timeout(800)
            assert_no_streamlit_exception(page)
            assert "wilayah=36.04" in page.url and "periode=2025" in page.url
            screenshot(page, f"page_{name or 'ringkasan'}")
    finally:
        app.terminate()
        app.wait(timeout=10)
