"""Changing a filter in the browser changes the figures: pick another kab/kota in the sidebar and the
overview's stunting figure, its n/N and the URL follow."""

from __future__ import annotations

import pytest

from tests.conftest import frame
from tests.e2e.conftest import assert_no_streamlit_exception, screenshot, start_app
from tests.e2e.login import open_logged_in, use_test_users

pytestmark = pytest.mark.e2e


def _stunting_caption(page) -> str:
    return page.locator('[data-testid="stCaptionContainer"]', has_text="balita").first.inner_text()


def test_choosing_another_area_changes_the_figures(page, tmp_path, demo_db, monkeypatch):
    use_test_users(monkeypatch)
    url, app = start_app(demo_db, tmp_path / "streamlit.log")
    expected = {code: f"{n:,} / {d:,}".replace(",", ".") for code, n, d in frame(demo_db, """
        select region_code, numerator, denominator from prevalence where indicator = 'stunting'
        and period_type = 'year' and period_start = '2025-01-01' and region_code in ('36.04', '62.71')""").itertuples(index=False)}
    try:
        open_logged_in(page, f"{url}/ringkasan?wilayah=36.04&periode=2025")
        page.get_by_text("Banten › Kabupaten Serang").first.wait_for(timeout=30_000)
        assert _stunting_caption(page).startswith(expected["36.04"])
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.locator('[data-testid="stSelectbox"]').nth(0).click()                  # the province picker
        page.get_by_role("option", name="Kalimantan Tengah").click()
        page.wait_for_url("**wilayah=62**", timeout=30_000)
        sidebar.locator('[data-testid="stSelectbox"]').nth(1).click()                  # the kab/kota picker
        page.get_by_role("option", name="Kota Palangkaraya").click()
        page.wait_for_url("**wilayah=62.71**", timeout=30_000)
        page.get_by_text("Kalimantan Tengah › Kota Palangkaraya").first.wait_for(timeout=30_000)
        page.wait_for_function(f"""() => [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
                                     .some(e => e.innerText.startsWith({expected['62.71']!r}))""", timeout=30_000)
        assert "periode=2025" in page.url
        assert_no_streamlit_exception(page)
        screenshot(page, "filter_changed_palangka_raya")
    finally:
        app.terminate()
        app.wait(timeout=10)
