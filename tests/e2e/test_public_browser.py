"""The public page in a real browser, as a citizen on a phone: no login, internal pages ask for one,
and neither the page's HTML nor any file it offers for download holds an identifier of the source
exports."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import TIMEOUT, assert_no_streamlit_exception, screenshot, start_app, wait_for_app_idle, \
    wait_for_charts_drawn
from tests.public.identifiers import leaks, source_identifiers

pytestmark = pytest.mark.e2e


def test_public_html_and_downloads_hold_no_identifier(browser, tmp_path, demo_db):
    identifiers = source_identifiers(demo_db.parent / "files")
    url, app = start_app(demo_db, tmp_path / "streamlit.log")
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)   # a phone
    page = context.new_page()
    try:
        page.goto(f"{url}/?wilayah=36&periode=2025")
        page.get_by_text("Gizi balita dan posyandu di daerah Anda").wait_for(timeout=TIMEOUT)
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=TIMEOUT)
        downloads = page.get_by_role("button", name="Unduh CSV")
        expect(downloads).to_have_count(3, timeout=TIMEOUT)    # the page's three tables, drawn one by one
        wait_for_charts_drawn(page)
        assert_no_streamlit_exception(page)
        html = page.content()
        assert "disembunyikan" in html and leaks(html, identifiers) == []
        for index in range(downloads.count()):
            with page.expect_download() as event:
                downloads.nth(index).click()
            text = (tmp_path / f"download_{index}.csv")
            event.value.save_as(text)
            content = text.read_text(encoding="utf-8")
            assert "Wilayah" in content and leaks(content, identifiers) == []
        screenshot(page, "public_phone")
        page.goto(f"{url}/rujukan?wilayah=36.04&periode=2025")            # an internal link: asks for a login
        page.get_by_label("Kata sandi").wait_for(timeout=TIMEOUT)
        wait_for_app_idle(page)                                           # the page has stopped at the login
        assert "RJK-" not in page.content() and page.locator('[data-testid="stMetric"]').count() == 0
    finally:
        context.close()
        app.terminate()
        app.wait(timeout=10)
