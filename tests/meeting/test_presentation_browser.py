"""Real app, real browser at a laptop-projector size (1366x900): the meeting page's presentation mode
(``?tampilan=rapat``) hides the sidebar, each of the five slides fits the screen without scrolling
(slide 1 with the last meeting's open decisions from the demo meetings), and the keys a presenter's
clicker sends move between slides."""

from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from dashboard.meeting.demo import seed_demo_meetings
from dashboard.meeting.store import DecisionStore
from dashboard.ui.decisions import MAX_REVIEW_ROWS
from tests.e2e.conftest import assert_no_streamlit_exception, rerun_after, screenshot, start_app, wait_for_charts_drawn
from tests.e2e.login import open_logged_in, use_test_users

pytestmark = pytest.mark.e2e
WIDTH, HEIGHT = 1366, 900
FILTERS = "wilayah=36&periode=2026-Q3"

# The page's height against the screen's: the document and Streamlit's own scrolling main area.
OVERFLOW = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const page = document.scrollingElement;
    return {document: page.scrollHeight, viewport: window.innerHeight,
            main: main.scrollHeight, mainVisible: main.clientHeight};
}"""


@pytest.fixture
def screen(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    tab = context.new_page()
    yield tab
    context.close()


def slide_heading(tab, number: int):
    return tab.locator(".st-key-briefing_slide h3").filter(has_text=re.compile(rf"^{number}\. "))


def assert_fits(tab, number: int) -> None:
    wait_for_charts_drawn(tab)
    expect(slide_heading(tab, number)).to_be_visible()
    expect(tab.locator('[data-testid="stSkeleton"]')).to_have_count(0)        # every element drawn, at its size
    expect(tab.locator('.st-key-briefing_slide [data-testid="stMetricValue"]').first).to_be_visible()
    assert_no_streamlit_exception(tab)
    sizes = tab.evaluate(OVERFLOW)
    screenshot(tab, f"meeting_presentation_slide_{number}")
    assert sizes["document"] <= sizes["viewport"], (number, sizes)
    assert sizes["main"] <= sizes["mainVisible"], (number, sizes)


def test_each_slide_fits_the_screen_and_the_arrow_keys_move_between_slides(screen, tmp_path, demo_db, monkeypatch):
    use_test_users(monkeypatch)
    db, store = tmp_path / "analytics.duckdb", tmp_path / "decisions.sqlite"
    shutil.copyfile(demo_db, db)
    assert seed_demo_meetings(DecisionStore(store), db) > 0
    url, app = start_app(db, tmp_path / "streamlit.log", {"POSYANDU_DECISIONS": str(store)})
    try:
        open_logged_in(screen, f"{url}/rapat?{FILTERS}")       # the login form and logout live in the normal mode
        screen.goto(f"{url}/rapat?{FILTERS}&tampilan=rapat&slide=1")
        assert_fits(screen, 1)
        expect(screen.locator('[data-testid="stSidebar"]')).to_be_hidden()
        review = screen.locator(".st-key-meeting_review")
        expect(review).to_be_visible()
        # the demo's open decisions (the province's and Kab Serang's): the first rows, the rest counted below
        expect(review.locator('[data-testid="stTable"] tbody tr')).to_have_count(MAX_REVIEW_ROWS)
        expect(review.get_by_text(re.compile(r"… dan \d+ keputusan terbuka lainnya"))).to_be_visible()
        expect(review.locator('[data-testid="stTable"]')).to_be_visible()
        expect(review.locator('[data-testid="stDataFrame"]')).to_be_visible()           # overdue referrals by agency
        for number in range(2, 6):
            rerun_after(screen, lambda: screen.keyboard.press("ArrowRight"))
            expect(screen).to_have_url(re.compile(rf"slide={number}\b"))
            assert_fits(screen, number)
        expect(screen).to_have_url(re.compile(r"tampilan=rapat"))
        rerun_after(screen, lambda: screen.keyboard.press("PageUp"))      # a clicker's "back"
        expect(slide_heading(screen, 4)).to_be_visible()
        expect(screen).to_have_url(re.compile(r"slide=4\b"))
    finally:
        app.terminate()
        app.wait(timeout=10)
