"""Sessions and lockouts in the real app and a real browser: a login survives a reload (the signed
HttpOnly cookie) and ends at logout; a client cannot escape a lockout by naming another address in
X-Forwarded-For."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard.access.sessions import COOKIE_NAME
from dashboard.serve import stop_app
from tests.e2e.conftest import start_app
from tests.e2e.login import PASSWORD, log_in
from tests.pages.test_indicator_pages import users_file

pytestmark = pytest.mark.e2e
CAPTION = "Banten › Kabupaten Serang"


@pytest.fixture
def app_url(tmp_path, demo_db):
    url, process = start_app(demo_db, tmp_path / "streamlit.log",
                             env={"POSYANDU_USERS": str(users_file()),
                                  "POSYANDU_ACCESS_DB": str(tmp_path / "access.sqlite")})
    yield url
    stop_app(process)


def test_a_reload_keeps_the_login_and_logout_ends_it(page, app_url):
    page.goto(f"{app_url}/rujukan?wilayah=36.04&periode=2025")
    log_in(page)
    expect(page.get_by_text(CAPTION).first).to_be_visible(timeout=30_000)
    cookie = _wait_for_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and not cookie["secure"]  # plain http here

    page.reload()
    expect(page.get_by_text(CAPTION).first).to_be_visible(timeout=30_000)
    expect(page.get_by_label("Kata sandi")).to_have_count(0)

    other = page.context.new_page()                      # a shared link opened in a new tab of the same browser
    other.goto(f"{app_url}/stunting?wilayah=36.04&periode=2025")
    expect(other.get_by_text(CAPTION).first).to_be_visible(timeout=30_000)
    other.close()

    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_label("Kata sandi")).to_be_visible(timeout=30_000)
    page.reload()
    expect(page.get_by_label("Kata sandi")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(CAPTION)).to_have_count(0)


def _wait_for_cookie(page) -> dict:
    """The page posts the one-use token right after the login; wait until the browser holds the cookie."""
    page.wait_for_function("() => performance.getEntriesByType('resource')"
                           ".some(e => e.name.endsWith('/api/sesi'))", timeout=30_000)
    expect(page.get_by_text(CAPTION).first).to_be_visible()
    cookies = [c for c in page.context.cookies() if c["name"] == COOKIE_NAME]
    assert len(cookies) == 1, page.context.cookies()
    return cookies[0]


def test_a_forwarded_address_does_not_escape_a_lockout(browser, app_url):
    """Five failures from this machine lock it out; a second browser that claims another address in
    X-Forwarded-For is the same client (no proxy is configured), so the right password is refused too."""
    guesser = browser.new_context()
    for attempt in range(5):
        fail_once(guesser.new_page(), app_url, f"tebakan{attempt}", "salah-salah-salah", last=attempt == 4)
    guesser.close()

    spoofing = browser.new_context(extra_http_headers={"X-Forwarded-For": "203.0.113.77"})
    tab = spoofing.new_page()
    tab.goto(f"{app_url}/rujukan?wilayah=36.04&periode=2025")
    tab.get_by_label("Nama pengguna").fill("test-pokjanal")
    tab.get_by_label("Kata sandi").fill(PASSWORD)
    tab.get_by_role("button", name="Masuk").click()
    expect(tab.get_by_text("Terlalu banyak percobaan gagal", exact=False)).to_be_visible(timeout=30_000)
    expect(tab.get_by_text(CAPTION)).to_have_count(0)
    spoofing.close()


def test_a_stranger_cannot_lock_a_user_out_of_their_own_browser(browser, app_url):
    """The user's browser holds a device cookie from an earlier login; a stranger's five wrong
    passwords lock the name everywhere else, not there."""
    own = browser.new_context()
    tab = own.new_page()
    tab.goto(f"{app_url}/rujukan?wilayah=36.04&periode=2025")
    log_in(tab)
    _wait_for_cookie(tab)
    assert any(c["name"] == "posyandu_perangkat" and c["httpOnly"] for c in own.cookies())
    tab.get_by_role("button", name="Keluar").click()
    expect(tab.get_by_label("Kata sandi")).to_be_visible(timeout=30_000)

    stranger = browser.new_context()
    for attempt in range(5):
        other = fail_once(stranger.new_page(), app_url, "test-pokjanal", f"tebakan-{attempt}", last=attempt == 4)
    other.get_by_label("Kata sandi").fill(PASSWORD)                        # elsewhere even the right one waits
    other.get_by_role("button", name="Masuk").click()
    expect(other.get_by_text("Terlalu banyak percobaan gagal", exact=False)).to_be_visible(timeout=30_000)
    stranger.close()

    tab.reload()
    log_in(tab)
    expect(tab.get_by_text(CAPTION).first).to_be_visible(timeout=30_000)
    own.close()


def fail_once(tab, app_url: str, user: str, password: str, last: bool):
    """One wrong login in a fresh page (its own session), waiting for its answer: the fifth locks."""
    tab.goto(f"{app_url}/rujukan")
    tab.get_by_label("Nama pengguna").fill(user)
    tab.get_by_label("Kata sandi").fill(password)
    tab.get_by_role("button", name="Masuk").click()
    answer = "Terlalu banyak percobaan gagal" if last else "Nama pengguna atau kata sandi salah."
    expect(tab.get_by_text(answer, exact=False)).to_be_visible(timeout=30_000)
    return tab
