"""Real app, real browser: start Streamlit on 127.0.0.1 and drive Debian's Chromium with Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.config import PROJECT_ROOT
from dashboard.serve import start_app  # noqa: F401 (used by the tests)

SCREENSHOTS = PROJECT_ROOT / "test-output" / "screenshots"
APP = '[data-testid="stApp"]'
TIMEOUT = 60_000   # ms: generous for a loaded 2-core machine; every wait ends as soon as its condition holds


def screenshot(tab, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def assert_no_streamlit_exception(tab) -> None:
    errors = tab.locator('[data-testid="stException"]')
    assert errors.count() == 0, errors.first.inner_text()


def wait_for_app_idle(tab, timeout: int = TIMEOUT) -> None:
    """Wait until Streamlit has finished its current run: the script is not running, the running
    indicator is gone and no element is left greyed out (stale) from the run before. Call it after a
    condition that shows the run has started (a URL, a text), or use ``rerun_after``."""
    from playwright.sync_api import expect

    expect(tab.locator(APP)).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    expect(tab.locator('[data-testid="stStatusWidgetRunningIcon"]')).to_have_count(0, timeout=timeout)
    expect(tab.locator('[data-stale="true"]')).to_have_count(0, timeout=timeout)


def rerun_after(tab, action, timeout: int = TIMEOUT) -> None:
    """Do ``action`` (a click that makes the app run again) and wait until the run it started has
    finished: a watcher counts the app leaving its idle state, so a run not yet begun is not mistaken
    for one already done."""
    tab.evaluate(f"""() => {{
        const app = document.querySelector('{APP}');
        window.__e2eRuns = 0;
        window.__e2eWatcher?.disconnect();
        window.__e2eWatcher = new MutationObserver(() => {{
            if (app.getAttribute('data-test-script-state') !== 'notRunning') window.__e2eRuns += 1; }});
        window.__e2eWatcher.observe(app, {{attributes: true, attributeFilter: ['data-test-script-state']}}); }}""")
    action()
    tab.wait_for_function("() => window.__e2eRuns > 0", timeout=timeout)
    wait_for_app_idle(tab, timeout)


def wait_for_charts_drawn(tab, timeout: int = TIMEOUT) -> None:
    """Wait until the run has finished and every Plotly chart on the page has drawn its SVG."""
    wait_for_app_idle(tab, timeout)
    tab.wait_for_function("""() => [...document.querySelectorAll('.js-plotly-plot')]
                                     .every(d => d.querySelector('.main-svg'))""", timeout=timeout)
