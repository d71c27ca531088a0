"""Real app, real browser: start Streamlit on 127.0.0.1 and drive Debian's Chromium with Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.config import PROJECT_ROOT
from dashboard.serve import CHROMIUM, launch_chromium, start_app  # noqa: F401 (start_app: used by the tests)

SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's package 'chromium' "
                    "(.ci/run does) to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    yield tab
    context.close()


def screenshot(tab, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def assert_no_streamlit_exception(tab) -> None:
    errors = tab.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()
