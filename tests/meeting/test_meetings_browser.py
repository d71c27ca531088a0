"""Real app, real browser: a TP Posyandu meeting recorded with two decisions, the analytics database
rebuilt by importing again, and the next meeting opening with both decisions and their indicator's
movement; and two sessions recording at once, both kept."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from playwright.sync_api import expect

from dashboard.build import refresh
from dashboard.ingest.loader import import_files
from dashboard.meeting.store import DecisionStore, Meeting
from tests.conftest import frame, write_csv
from tests.e2e.conftest import assert_no_streamlit_exception, screenshot, start_app, wait_for_app_idle
from tests.e2e.login import open_logged_in, use_test_users

pytestmark = pytest.mark.e2e


def percent(value: float) -> str:
    return f"{value:.1f}%".replace(".", ",")


def stunting(db, region: str, start: str) -> tuple[float, int]:
    [(value, n)] = frame(db, "select prevalence, denominator from prevalence where region_code = $r and indicator = "
                             "'stunting' and period_type = 'quarter' and period_start = $s::date",
                         {"r": region, "s": start}).itertuples(index=False)
    return value, n


def record_decision(tab, action: str, area: str | None = None) -> None:
    wait_for_app_idle(tab)    # the run after an earlier save clears the form: choose only once it is done
    main = tab.locator('[data-testid="stMain"]')
    if area:
        choice = main.locator('[data-testid="stSelectbox"]', has_text="Wilayah")
        choice.click()
        tab.get_by_role("option", name=area).click()
        expect(tab.get_by_role("option", name=area)).to_have_count(0)   # the list closed on the choice
    main.get_by_label("Tindakan").fill(action)
    main.get_by_role("button", name="Simpan keputusan").click()
    tab.get_by_text(f"Keputusan tersimpan: {action}").wait_for(timeout=30_000)


@pytest.fixture
def app_files(tmp_path, demo_db, monkeypatch):
    """A private copy of the demo database and an empty decisions store the app started next uses."""
    use_test_users(monkeypatch)
    db = tmp_path / "analytics.duckdb"
    shutil.copyfile(demo_db, db)
    store = tmp_path / "decisions.sqlite"
    return db, store, {"POSYANDU_DECISIONS": str(store)}


def test_a_meeting_with_two_decisions_opens_the_next_one_after_a_reimport(page, tmp_path, app_files):
    db, store_path, env = app_files
    url, app = start_app(db, tmp_path / "streamlit.log", env)
    try:
        open_logged_in(page, f"{url}/keputusan?wilayah=36.04&periode=2026-Q2")
        page.get_by_role("button", name="Simpan rapat").click()
        page.get_by_text("Rapat tersimpan.").wait_for(timeout=30_000)
        record_decision(page, "Kunjungan rumah balita stunting se-kabupaten")
        record_decision(page, "PMT lokal di Cikande", area="Cikande")
        assert_no_streamlit_exception(page)
        screenshot(page, "meeting_decisions_recorded")

        export = write_csv(tmp_path / "timbang_agustus_susulan.csv", [
            ["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "TB", "Kode Desa"],
            ["3604150101240099", "L", "01/01/2025", "20/08/2026", "8,1", "68", "3604152001"]])
        [result] = import_files([export], db_path=db, after_load=refresh)     # the analytics file is written in place
        assert result.error is None and result.rows_loaded == 1

        open_logged_in(page, f"{url}/rapat?wilayah=36.04&periode=2026-Q3")
        review = page.locator(".st-key-meeting_review")
        review.get_by_text("Tindak lanjut rapat lalu").wait_for(timeout=60_000)
        table = review.locator('[data-testid="stTable"]')
        table.wait_for(timeout=30_000)
        for region, action in (("36.04", "Kunjungan rumah balita stunting se-kabupaten"),
                               ("36.04.15", "PMT lokal di Cikande")):
            (before, n_before), (now, n_now) = stunting(db, region, "2026-04-01"), stunting(db, region, "2026-07-01")
            row = table.locator("tr", has_text=action)
            row.wait_for(timeout=30_000)
            assert f"{percent(before)} (n {n_before}) → {percent(now)} (n {n_now})" in row.inner_text()
        assert_no_streamlit_exception(page)
        screenshot(page, "meeting_opens_with_last_decisions")
    finally:
        app.terminate()
        app.wait(timeout=10)


def test_two_sessions_recording_at_once_both_keep_their_decisions(browser, tmp_path, app_files):
    db, store_path, env = app_files
    DecisionStore(store_path).add_meeting(Meeting(date(2026, 8, 12), "36.04", "2026-Q2"), "siti")
    url, app = start_app(db, tmp_path / "streamlit.log", env)
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    try:
        tabs = [context.new_page() for context in contexts]
        for tab in tabs:
            open_logged_in(tab, f"{url}/keputusan?wilayah=36.04&periode=2026-Q2")
        actions = ["Sesi pertama: data bansos", "Sesi kedua: kunjungan rumah"]
        for tab, action in zip(tabs, actions):
            tab.get_by_label("Tindakan").fill(action)
        buttons = [tab.get_by_role("button", name="Simpan keputusan") for tab in tabs]
        for button in buttons:                       # both clicks go out before either answer comes back
            button.click(no_wait_after=True)
        for tab, action in zip(tabs, actions):
            tab.get_by_text(f"Keputusan tersimpan: {action}").wait_for(timeout=30_000)
            assert_no_streamlit_exception(tab)
        assert sorted(DecisionStore(store_path).decisions().action) == sorted(actions)
    finally:
        for context in contexts:
            context.close()
        app.terminate()
        app.wait(timeout=10)
