"""Logging in through the browser: internal pages ask for a login on the page itself."""

from __future__ import annotations

from tests.pages.test_indicator_pages import users_file

PASSWORD = "kata-sandi-uji"


def use_test_users(monkeypatch) -> None:
    """The app started next reads the test users file (a pokjanal and an admin login)."""
    monkeypatch.setenv("POSYANDU_USERS", str(users_file()))


def log_in(page, user: str = "test-pokjanal") -> None:
    """Fill the login form the page shows and wait until the page has let us in."""
    page.get_by_label("Nama pengguna").fill(user)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_label("Kata sandi").wait_for(state="detached", timeout=30_000)


def open_logged_in(page, url: str, user: str = "test-pokjanal") -> None:
    """Open an internal page's URL (a new browser session) and log in on it, unless the session cookie
    of an earlier login in this browser (set a moment after it) already let us in."""
    page.context.clear_cookies(name="posyandu_sesi")
    page.goto(url)
    login, logged_in = page.get_by_label("Nama pengguna"), page.get_by_role("button", name="Keluar")
    login.or_(logged_in).first.wait_for(timeout=30_000)
    if login.is_visible():
        log_in(page, user)
