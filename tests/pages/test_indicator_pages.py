"""Every indicator page on the tiny demo database (AppTest), for several filter combinations: no
exception, and the key figures equal what the database says."""

from __future__ import annotations

import functools
import os
import tempfile
from unittest import mock
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.config import PROJECT_ROOT
from dashboard.ui.access import SESSION_KEY
from tests.conftest import frame

PAGES = ["pages/ringkasan.py", "pages/stunting.py", "pages/strata.py", "pages/rujukan.py", "pages/pkk.py",
         "pages/kualitas.py", "pages/data_status.py"]
FILTERS = [{}, {"wilayah": "36.04", "periode": "2025"}, {"wilayah": "36.04.15", "periode": "2025-Q3"},
           {"wilayah": "62.71.01.1001", "periode": "2026-05"}, {"wilayah": "99.99", "periode": "garbage"}]


def open_page(monkeypatch, db, page, filters, lang="id", role: str | None = "pokjanal") -> AppTest:
    """The app as a user with ``role`` (None: a citizen, not logged in) sees ``page`` with these URL filters."""
    monkeypatch.setenv("POSYANDU_DB", str(db))
    monkeypatch.setenv("POSYANDU_USERS", str(users_file()))
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard" / "app.py"), default_timeout=60)
    app.session_state["lang"] = lang
    if role is not None:
        app.session_state[SESSION_KEY] = auth.new_session(f"test-{role}", role)
    for key, value in filters.items():
        app.query_params[key] = value
    app.run()
    return app.switch_page(str(PROJECT_ROOT / page)).run()


@functools.cache
def users_file() -> Path:
    """A users file with one pokjanal and one admin login (cheap bcrypt cost: these are tests)."""
    path = Path(tempfile.mkdtemp(prefix="users-")) / "users.json"
    with mock.patch.dict(os.environ, {"POSYANDU_BCRYPT_ROUNDS": "4"}):
        for role in ("pokjanal", "admin"):
            auth.set_user(f"test-{role}", "kata-sandi-uji", role, path)
    return path


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("filters", FILTERS, ids=["default", "kab-year", "kec-quarter", "desa-month", "unknown"])
def test_every_page_runs_for_every_filter(monkeypatch, demo_db, page, filters):
    app = open_page(monkeypatch, demo_db, page, filters)
    assert not app.exception, [e.message for e in app.exception]
    if filters.get("wilayah") == "99.99":  # an unknown area falls back to the first province, not an error
        assert app.query_params["wilayah"] in (["36"], "36")


def test_overview_figures_equal_the_database(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "pages/ringkasan.py", {"wilayah": "36.04", "periode": "2025"}, "en")
    [(num, den, pct)] = frame(demo_db, """select numerator, denominator, prevalence from prevalence where indicator = 'stunting'
                                         and region_code = '36.04' and period_type = 'year' and period_start = '2025-01-01'"""
                              ).itertuples(index=False)
    stunting = app.metric[0]
    assert stunting.value == f"{pct:.1f}%"
    assert f"{num} / {den}" in stunting.help
    ranking = next(d.value for d in app.dataframe if "code" in d.value.columns)   # after the survey table
    assert set(ranking.code) == {c for (c,) in frame(demo_db, "select code from regions where parent_code = '36.04'").itertuples(index=False)}


def test_strata_and_referral_counts_equal_the_database(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "pages/strata.py", {"wilayah": "36.04", "periode": "2025"}, "en")
    [(posyandu,)] = frame(demo_db, "select count(*) from strata_posyandu_year where village_code like '36.04%' "
                                   "and year = '2025-01-01'").itertuples(index=False)
    assert app.metric[0].value == f"{int(posyandu):,}"
    app = open_page(monkeypatch, demo_db, "pages/rujukan.py", {"wilayah": "36.04", "periode": "2025"}, "en")
    [(open_,)] = frame(demo_db, "select count_if(is_open) from referrals_as_of(date '2025-12-31') "
                                "where village_code like '36.04%'").itertuples(index=False)
    assert app.metric[0].value == f"{int(open_):,}"
    overdue = app.dataframe[-1].value
    assert "referral_id" in overdue and not any("nik" in c.lower() or "nama" in c.lower() for c in overdue.columns)


def test_the_url_keeps_the_filters(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "pages/stunting.py", {"wilayah": "36.04.15", "periode": "2025-Q3"})
    assert app.query_params["wilayah"] in (["36.04.15"], "36.04.15")
    assert app.query_params["periode"] in (["2025-Q3"], "2025-Q3")
    assert "Kabupaten Serang" in app.caption[0].value or "Serang" in app.caption[0].value


def test_empty_period_explains_itself(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "pages/pkk.py", {"wilayah": "36.04", "periode": "2024"})
    assert not app.exception
    assert app.info, "a year without Dasa Wisma recaps says so"


@pytest.mark.parametrize("region, period_code", [("36.04", "2025"), ("62.71", "2026-05")])
def test_pages_show_the_briefings_numbers(monkeypatch, demo_db, region, period_code):
    """What Ringkasan, Strata and Rujukan show is what the meeting briefing says for the same area and period."""
    import duckdb

    from dashboard.briefing import build_briefing
    from dashboard.periods import parse_period

    overview = open_page(monkeypatch, demo_db, "pages/ringkasan.py", {"wilayah": region, "periode": period_code}, "en")
    with duckdb.connect(str(demo_db), read_only=True) as con:
        [(last_event,)] = con.execute("select coalesce(max(event_on), current_date) from referral_events").fetchall()
        period = parse_period(period_code)
        day = min(period.end - timedelta(days=1), last_event)     # the pages' backlog day (ui.filters.backlog_day)
        briefing = build_briefing(con, region, period, day, "en")
    headlines = {h.label: h for s in briefing.slides for h in s.headlines}
    metrics = {m.label: m.value for m in overview.metric}
    stunting = headlines["Stunting (stunted + severely stunted)"]
    assert metrics["Stunting (stunted + severely stunted)"] == stunting.value_text("en")
    good = headlines["Posyandu Purnama + Mandiri"]
    whole_year = good.value is not None      # a partial year (2026 has ten months) is not judged on either
    assert metrics["Posyandu Purnama + Mandiri"] == (f"{good.numerator:,} / {good.denominator:,}" if whole_year
                                                     else "year incomplete")
    assert metrics["Open referrals"] == f"{headlines['Open referrals'].value:,}"

    strata = open_page(monkeypatch, demo_db, "pages/strata.py", {"wilayah": region, "periode": period_code}, "en")
    if strata.metric and whole_year:
        assert strata.metric[0].value == f"{good.denominator:,}"
    elif strata.metric:
        assert any("incomplete" in w.value for w in strata.warning)
    quality = open_page(monkeypatch, demo_db, "pages/kualitas.py", {"wilayah": region, "periode": period_code}, "en")
    warned = [d.value for d in quality.dataframe if "check" in d.value.columns]
    listed = warned[0] if warned else []
    assert len(listed) == headlines["Warnings"].value, "the page lists the briefing's quality warnings"
    referrals = open_page(monkeypatch, demo_db, "pages/rujukan.py", {"wilayah": region, "periode": period_code}, "en")
    assert [m.value for m in referrals.metric[:2]] == [f"{headlines['Open referrals'].value:,}",
                                                      f"{headlines['Overdue'].value:,}"]
