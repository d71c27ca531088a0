"""Every indicator page in a real browser on the tiny demo: the charts draw, no exception shows,
and a shared URL opens the same area and period."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TIMEOUT, assert_no_streamlit_exception, screenshot, start_app, wait_for_charts_drawn
from tests.e2e.login import open_logged_in, use_test_users

pytestmark = pytest.mark.e2e

PAGES = ["ringkasan", "stunting", "strata", "rujukan", "pkk", "kualitas"]


def test_pages_draw_in_chromium(page, tmp_path, demo_db, monkeypatch):
    use_test_users(monkeypatch)
    url, app = start_app(demo_db, tmp_path / "streamlit.log")
    try:
        for name in PAGES:
            open_logged_in(page, f"{url}/{name}?wilayah=36.04&periode=2025")
            page.get_by_text("Banten › Kabupaten Serang").first.wait_for(timeout=30_000)  # the page's caption
            if name != "ringkasan":  # the overview's first figures are metrics
                page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=TIMEOUT)
            wait_for_charts_drawn(page)
            assert_no_streamlit_exception(page)
            assert "wilayah=36.04" in page.url and "periode=2025" in page.url
            screenshot(page, f"page_{name}")
    finally:
        app.terminate()
        app.wait(timeout=10)
