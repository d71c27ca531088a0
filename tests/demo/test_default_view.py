"""The view after login when the URL names no region: the configured default region (Kab Serang, whose
village maps the small demo colours), or the first province when that region has no data."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.config import PROJECT_ROOT
from dashboard.ui.access import SESSION_KEY
from tests.pages.test_indicator_pages import users_file


def overview_after_login(monkeypatch, db) -> AppTest:
    """The overview as the login page opens it: a logged-in session, no filters in the URL."""
    monkeypatch.setenv("POSYANDU_DB", str(db))
    monkeypatch.setenv("POSYANDU_USERS", str(users_file()))
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard" / "app.py"), default_timeout=60)
    app.session_state["lang"] = "id"
    app.session_state[SESSION_KEY] = auth.new_session("test-pokjanal", "pokjanal")
    return app.switch_page(str(PROJECT_ROOT / "pages" / "ringkasan.py")).run()


@pytest.mark.parametrize("setting, opened, place", [
    (None, "36.04", "Banten › Kabupaten Serang"),
    ("62.71", "62.71", "Kalimantan Tengah › Kota Palangkaraya"),
    ("11.01", "36", "Banten"),                                   # Aceh: no data here, so the first province
])
def test_the_overview_opens_on_the_default_region(monkeypatch, demo_db, setting, opened, place):
    if setting:
        monkeypatch.setenv("POSYANDU_DEFAULT_REGION", setting)
    else:
        monkeypatch.delenv("POSYANDU_DEFAULT_REGION", raising=False)
    app = overview_after_login(monkeypatch, demo_db)
    assert not app.exception, [e.message for e in app.exception]
    assert app.query_params["wilayah"] in ([opened], opened)
    assert any(caption.value.startswith(f"{place} · ") for caption in app.caption)
