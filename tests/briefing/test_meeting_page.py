"""The meeting page (pages/pokjanal.py) under AppTest on the tiny demo: it runs for several areas and
periods, shows one slide at a time, and keeps the slide number in the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.config import PROJECT_ROOT
from dashboard.ui.access import SESSION_KEY
from tests.conftest import frame
from tests.pages.test_indicator_pages import users_file

PAGE = PROJECT_ROOT / "pages" / "pokjanal.py"


def open_meeting(monkeypatch, db, params: dict, lang: str = "en") -> AppTest:
    """The page as a logged-in TP Posyandu member (it lists overdue referral ids)."""
    monkeypatch.setenv("POSYANDU_DB", str(db))
    monkeypatch.setenv("POSYANDU_USERS", str(users_file()))
    app = AppTest.from_file(str(PAGE), default_timeout=60)
    app.session_state["lang"] = lang
    app.session_state[SESSION_KEY] = auth.new_session("test-pokjanal", "pokjanal")
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


def param(app: AppTest, key: str) -> str | None:
    value = app.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def slide_title(app: AppTest) -> str:
    return next(s.value for s in app.subheader if s.value[:1].isdigit())


@pytest.mark.parametrize("params", [{"wilayah": "36.04", "periode": "2025"},
                                    {"wilayah": "62.71.01.1001", "periode": "2026-05"},
                                    {"wilayah": "36.04.15", "periode": "2025-Q3"}],
                         ids=["kab-year", "desa-month", "kec-quarter"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_slide_runs(monkeypatch, demo_db, params, lang):
    app = open_meeting(monkeypatch, demo_db, params, lang)
    assert not app.exception, [e.message for e in app.exception]
    for number in range(2, 6):
        app.button(key="next_slide").click().run()
        assert not app.exception, (number, [e.message for e in app.exception])
        assert param(app, "slide") == str(number) and slide_title(app).startswith(f"{number}. ")
    assert app.button(key="next_slide").disabled


def test_next_moves_to_slide_two_and_the_url_keeps_it(monkeypatch, demo_db):
    app = open_meeting(monkeypatch, demo_db, {"wilayah": "36.04", "periode": "2025"})
    assert param(app, "slide") == "1" and slide_title(app) == "1. Headline indicators"
    assert app.button(key="previous_slide").disabled
    app.button(key="next_slide").click().run()
    assert param(app, "slide") == "2" and slide_title(app) == "2. Priority areas for stunting"
    assert param(app, "wilayah") == "36.04" and param(app, "periode") == "2025"
    app.button(key="previous_slide").click().run()
    assert param(app, "slide") == "1"


@pytest.mark.parametrize(("asked", "shown"), [("4", "4"), ("99", "5"), ("0", "1"), ("garbage", "1")])
def test_a_link_opens_its_slide(monkeypatch, demo_db, asked, shown):
    app = open_meeting(monkeypatch, demo_db, {"wilayah": "36.04", "periode": "2025", "slide": asked})
    assert not app.exception
    assert param(app, "slide") == shown and slide_title(app).startswith(f"{shown}. ")


def test_headline_slide_shows_the_database_figures_and_offers_the_pdf(monkeypatch, demo_db):
    app = open_meeting(monkeypatch, demo_db, {"wilayah": "36.04", "periode": "2025"})
    [(num, den, pct)] = frame(demo_db, """select numerator, denominator, prevalence from prevalence where indicator = 'stunting'
                                         and region_code = '36.04' and period_type = 'year' and period_start = '2025-01-01'
                                         """).itertuples(index=False)
    stunting = app.metric[0]
    assert stunting.value == f"{pct:.1f}%"
    assert any(f"{num} / {den} children" in c.value for c in app.caption)
    assert len(app.metric) == 8
    [download] = [d for d in app.get("download_button") if d.proto.label == "Download PDF"]
    assert download.proto.deferred_file_id, "the PDF is made when the button is clicked"


@pytest.mark.parametrize("region", ["36", "36.04", "62.71"])
def test_the_first_quarter_of_data_has_no_previous_backlog_and_still_runs(monkeypatch, demo_db, region):
    """The quarter before the data begins has no referrals: the comparison is left out, not a crash."""
    first = frame(demo_db, "select min(month) as m from skdn_area_month").m.iloc[0]
    quarter = f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    for slide in range(1, 6):
        app = open_meeting(monkeypatch, demo_db, {"wilayah": region, "periode": quarter, "slide": str(slide)})
        assert not app.exception, (quarter, slide, [e.message for e in app.exception])
