"""Roles in the running app (AppTest): a citizen sees only the public page and the login, every
internal page refuses to render its data without a login even when run directly, logins work, fail
and lock out, and an expired session is logged out."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import access as auth
from dashboard.config import PROJECT_ROOT, settings
from dashboard.ui.access import SESSION_KEY
from tests.pages.test_indicator_pages import open_page, users_file

INTERNAL = ["ringkasan", "stunting", "strata", "rujukan", "pkk", "kualitas", "data_status"]



@pytest.mark.parametrize("page", INTERNAL)
def test_an_internal_page_run_directly_refuses_a_citizen(monkeypatch, demo_db, page):
    """Not only the navigation: the page script itself stops before any query."""
    monkeypatch.setenv("POSYANDU_DB", str(demo_db))
    monkeypatch.setenv("POSYANDU_USERS", str(users_file()))
    app = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=60).run()
    assert not app.exception
    assert [e.value for e in app.error] == ["Halaman ini hanya untuk pengguna internal yang sudah masuk."]
    assert not app.metric and not app.dataframe and not app.get("plotly_chart")


@pytest.mark.parametrize("page", INTERNAL)
def test_an_expired_session_is_refused_too(monkeypatch, demo_db, page):
    monkeypatch.setenv("POSYANDU_DB", str(demo_db))
    monkeypatch.setenv("POSYANDU_USERS", str(users_file()))
    app = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=60)
    app.session_state[SESSION_KEY] = auth.new_session("test-pokjanal", "pokjanal", now=time.time() - 9 * 3600)
    app.run()
    assert app.error and not app.dataframe and not app.metric


def test_a_citizen_lands_on_the_public_page(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "pages/publik.py", {"wilayah": "36", "periode": "2025"}, role=None)
    assert not app.exception
    assert app.header[0].value == "Gizi balita dan posyandu di daerah Anda"
    app = app.switch_page(str(PROJECT_ROOT / "pages" / "rujukan.py")).run()      # a shared link, typed in
    assert not app.exception and app.error and not app.dataframe and not app.metric
    assert [t.label for t in app.text_input] == ["Nama pengguna", "Kata sandi"]      # log in right there
    assert [link.proto.label for link in app.get("page_link")] == ["Data Publik", "Masuk"]   # a citizen's menu


def test_a_logged_in_member_sees_the_internal_pages(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "pages/rujukan.py", {"wilayah": "36.04", "periode": "2025"})
    assert not app.exception and not app.error and app.metric


def _login_page(monkeypatch, demo_db) -> AppTest:
    monkeypatch.setenv("POSYANDU_DB", str(demo_db))
    monkeypatch.setenv("POSYANDU_USERS", str(users_file()))
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard" / "app.py"), default_timeout=60).run()
    return app.switch_page(str(PROJECT_ROOT / "pages" / "masuk.py")).run()


@pytest.fixture(autouse=True)
def own_access_store(monkeypatch, tmp_path):
    """Sessions and the audit trail of each test in its own store."""
    monkeypatch.setenv("POSYANDU_ACCESS_DB", str(tmp_path / "access.sqlite"))


@pytest.fixture(autouse=True)
def fresh_limiter():
    """Each test starts and ends with no failed logins counted (the counter is process-wide)."""
    from dashboard.ui import access

    access._limiter.clear()
    yield
    access._limiter.clear()


def test_login_succeeds_fails_and_locks_out(monkeypatch, demo_db):
    app = _login_page(monkeypatch, demo_db)
    app.text_input[0].input("test-pokjanal")
    app.text_input[1].input("salah-sekali")                  # wrong password
    app = app.button[0].click().run()
    assert [e.value for e in app.error] == ["Nama pengguna atau kata sandi salah."]
    assert SESSION_KEY not in app.session_state
    app.text_input[1].input("kata-sandi-uji")
    app = app.button[0].click().run()
    assert not app.exception and app.session_state[SESSION_KEY].role == "pokjanal"
    for _ in range(settings().login_max_failures):
        app = _login_page(monkeypatch, demo_db)
        app.text_input[0].input("test-admin")
        app.text_input[1].input("bukan-sandinya")
        app = app.button[0].click().run()
    app.text_input[1].input("kata-sandi-uji")                 # the right password, but locked out now
    app = app.button[0].click().run()
    assert "Coba lagi dalam" in app.error[0].value and SESSION_KEY not in app.session_state


def test_a_shared_link_opens_after_logging_in_on_it(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "pages/strata.py", {"wilayah": "36.04", "periode": "2025"}, "en", role=None)
    assert app.error and not app.metric
    app.text_input[0].input("test-admin")
    app.text_input[1].input("kata-sandi-uji")
    app = app.button[0].click().run()
    assert not app.exception and not app.error
    assert app.header[0].value == "Posyandu strata" and app.metric
    assert app.query_params["wilayah"] in (["36.04"], "36.04") and app.query_params["periode"] in (["2025"], "2025")


# --- need to know: each user reads their own area (issue 17 §6) -------------------------------------------------

@pytest.fixture
def area_users(tmp_path, monkeypatch) -> Path:
    """A TP Posyandu member of Kabupaten Serang (36.04) and an admin with every area."""
    monkeypatch.setenv("POSYANDU_BCRYPT_ROUNDS", "4")
    path = tmp_path / "users.json"
    auth.set_user("tp-serang", "kata-sandi-uji", "pokjanal", path, area="36.04")
    auth.set_user("admin-provinsi", "kata-sandi-uji", "admin", path)
    monkeypatch.setenv("POSYANDU_USERS", str(path))
    return path


def _open_as(monkeypatch, db, user: str, page: str, filters: dict) -> AppTest:
    monkeypatch.setenv("POSYANDU_DB", str(db))
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard" / "app.py"), default_timeout=60)
    app.session_state[SESSION_KEY] = auth.new_session(user, "pokjanal")
    for key, value in filters.items():
        app.query_params[key] = value
    app.run()
    for key in set(app.query_params) - set(filters):      # what the public page (the default) put in the URL
        del app.query_params[key]
    return app.switch_page(str(PROJECT_ROOT / "pages" / page)).run()


AREA_REFUSED = "Wilayah ini di luar wilayah akun Anda (36.04)."


def test_the_filter_bar_offers_only_the_users_area(monkeypatch, demo_db, area_users):
    app = _open_as(monkeypatch, demo_db, "tp-serang", "ringkasan.py", {})
    assert not app.exception and not app.error
    assert app.query_params["wilayah"] in (["36.04"], "36.04")          # opens on the user's own area
    pickers = {box.label: box.options for box in app.sidebar.selectbox}
    assert pickers["Provinsi"] == ["Banten"] and pickers["Kabupaten/Kota"] == ["Kabupaten Serang"]  # no "(semua)"
    assert pickers["Kecamatan"][0] == "(semua)" and len(pickers["Kecamatan"]) > 1
    admin = _open_as(monkeypatch, demo_db, "admin-provinsi", "ringkasan.py", {})
    assert {box.label: box.options for box in admin.sidebar.selectbox}["Provinsi"] == ["Banten", "Kalimantan Tengah"]


@pytest.mark.parametrize("page, wilayah", [("rujukan.py", "62.71"), ("rujukan.py", "36"), ("pokjanal.py", "36.01"),
                                           ("strata.py", "36.040")])
def test_a_shared_link_outside_the_area_is_refused(monkeypatch, demo_db, area_users, page, wilayah):
    app = _open_as(monkeypatch, demo_db, "tp-serang", page, {"wilayah": wilayah, "periode": "2025"})
    assert not app.exception
    assert app.error and app.error[0].value.startswith(AREA_REFUSED)
    assert not app.metric and not app.dataframe and not app.get("plotly_chart")
    app = app.button(key="area_open_own").click().run()                  # one click back to the own area
    assert not app.error and app.query_params["wilayah"] in (["36.04"], "36.04")


def test_a_link_inside_the_area_opens(monkeypatch, demo_db, area_users):
    app = _open_as(monkeypatch, demo_db, "tp-serang", "rujukan.py", {"wilayah": "36.04.15", "periode": "2025"})
    assert not app.exception and not app.error and app.metric


def _reads_outside(kind: str) -> None:
    """A page that asks for data outside the user's area without going through the filter bar."""
    from datetime import date

    import streamlit as st

    from dashboard.periods import parse_period
    from dashboard.ui.data import briefing, query

    st.write("regions", len(query("pages/common/child_regions", parent="")))   # region names: anyone
    if kind == "query":
        st.dataframe(query("pages/rujukan/backlog", region="62", as_of=date(2025, 12, 31)))
    else:
        briefing("36.01", parse_period("2025"), date(2025, 12, 31), "id")
    st.write("not reached")


@pytest.mark.parametrize("kind", ["query", "briefing"])
def test_data_outside_the_area_is_refused_where_it_is_read(monkeypatch, demo_db, area_users, kind):
    monkeypatch.setenv("POSYANDU_DB", str(demo_db))
    app = AppTest.from_function(_reads_outside, args=(kind,), default_timeout=60)
    app.session_state[SESSION_KEY] = auth.new_session("tp-serang", "pokjanal")
    app.run()
    assert not app.exception
    assert app.error[0].value.startswith(AREA_REFUSED) and not app.dataframe
    assert [m.value for m in app.markdown if "not reached" in m.value] == []


def _downloads_twice() -> None:
    import streamlit as st

    from dashboard.ui.access import SESSION_KEY, download_recorded

    download_recorded("rujukan_terlambat.csv")()                        # as the logged-in member
    del st.session_state[SESSION_KEY]
    download_recorded("stunting_publik.csv")()                          # the same, logged out: not recorded


def test_downloads_of_internal_tables_are_in_the_trail(monkeypatch, demo_db, area_users):
    from dashboard.access import audit

    app = AppTest.from_function(_downloads_twice, default_timeout=60)
    app.session_state[SESSION_KEY] = auth.new_session("tp-serang", "pokjanal")
    app.run()
    assert not app.exception
    assert [(e.actor, e.action, e.detail) for e in audit.entries()] == [("tp-serang", "download",
                                                                         "rujukan_terlambat.csv")]


def test_the_users_page_sets_an_area_and_shows_the_trail(monkeypatch, demo_db, area_users):
    app = _open_as(monkeypatch, demo_db, "admin-provinsi", "pengguna.py", {})
    assert not app.exception
    assert dict(zip(app.dataframe[0].value["user"], app.dataframe[0].value["area"])) == {
        "admin-provinsi": "semua", "tp-serang": "36.04"}
    app.selectbox(key="area_user").set_value("tp-serang")
    app.text_input(key="area_code").input("36.04.15")
    app = app.button[1].click().run()                                     # the second form's Simpan
    assert [s.value for s in app.success] == ["Pengguna tp-serang: peran pokjanal, wilayah 36.04.15."]
    assert auth.load_users(area_users)["tp-serang"].area == "36.04.15"
    app.text_input(key="area_code").input("Serang")
    app = app.button[1].click().run()
    assert "Kemendagri region code" in app.error[0].value
    app = _open_as(monkeypatch, demo_db, "admin-provinsi", "pengguna.py", {})
    trail = app.dataframe[1].value
    assert list(trail.iloc[0][["actor", "action", "detail"]]) == [
        "admin-provinsi", "pengguna diubah", "tp-serang: role pokjanal, area 36.04.15"]
