"""Admin pages (AppTest): user management writes only hashes and refuses bad input; a TP Posyandu
member cannot open the admin pages even by their URL."""

from __future__ import annotations

import shutil

import pytest

from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.config import PROJECT_ROOT
from dashboard.ui.access import SESSION_KEY
from tests.pages.test_indicator_pages import open_page, users_file


@pytest.fixture
def own_users(tmp_path, monkeypatch):
    """A copy of the test users file this test may change (open_page points POSYANDU_USERS at it)."""
    path = tmp_path / "users.json"
    shutil.copyfile(users_file(), path)
    monkeypatch.setattr("tests.pages.test_indicator_pages.users_file", lambda: path)
    monkeypatch.setenv("POSYANDU_BCRYPT_ROUNDS", "4")
    return path


def _users_page(monkeypatch, demo_db):
    from tests.pages import test_indicator_pages

    return test_indicator_pages.open_page(monkeypatch, demo_db, "pages/pengguna.py", {}, "en", role="admin")


@pytest.mark.parametrize("page", ["impor", "pengguna"])
def test_a_member_cannot_open_admin_pages(monkeypatch, demo_db, page):
    """Not in a member's navigation, and the page script refuses by itself when run anyway."""
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(monkeypatch, demo_db, f"pages/{page}.py", {}, role="pokjanal")
    app = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=60)
    app.session_state[SESSION_KEY] = auth.new_session("test-pokjanal", "pokjanal")
    app.run()
    assert not app.exception and app.error and not app.get("file_uploader") and not app.dataframe


def test_an_admin_adds_and_removes_a_user(monkeypatch, demo_db, own_users):
    app = _users_page(monkeypatch, demo_db)
    assert not app.exception and set(app.dataframe[0].value["user"]) == {"test-pokjanal", "test-admin"}
    app.text_input[0].input("bidan.ani")
    app.text_input[1].input("rahasia-posyandu")
    app.text_input[2].input("rahasia-posyandu")
    app = app.button[0].click().run()
    assert [s.value for s in app.success] == ["User bidan.ani added."]
    stored = own_users.read_text()
    assert "bidan.ani" in stored and "rahasia-posyandu" not in stored
    assert auth.verify_password("bidan.ani", "rahasia-posyandu", own_users) == "pokjanal"
    app = _users_page(monkeypatch, demo_db)
    app.selectbox(key="remove_user").set_value("bidan.ani")
    app = app.button(key="remove_button").click().run()
    assert "bidan.ani" not in auth.load_users(own_users)


def test_bad_input_is_refused_with_the_reason(monkeypatch, demo_db, own_users):
    app = _users_page(monkeypatch, demo_db)
    app.text_input[0].input("kader")
    app.text_input[1].input("pendek")
    app.text_input[2].input("pendek")
    app = app.button[0].click().run()
    assert "password too short" in app.error[0].value
    app.text_input[0].input("kader")
    app.text_input[1].input("sandi-satu-dua")
    app.text_input[2].input("sandi-dua-satu")
    app = app.button[0].click().run()
    assert app.error[0].value == "The two passwords differ."
    assert "kader" not in auth.load_users(own_users)
