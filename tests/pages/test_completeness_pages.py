"""The filter bar opens on the latest complete period of the chosen area and labels a partial one
wherever it appears (issue 16 §2), in AppTest on the tiny demo (whose 2026 has ten months)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

import pandas as pd

from dashboard import auth
from dashboard import format as fmt
from dashboard.config import PROJECT_ROOT
from dashboard.ui.access import SESSION_KEY
from tests.pages.test_indicator_pages import users_file


def overview(monkeypatch, db, lang="id", **url) -> AppTest:
    """Ringkasan as a logged-in user opens it from a link with these URL filters."""
    monkeypatch.setenv("POSYANDU_DB", str(db))
    monkeypatch.setenv("POSYANDU_USERS", str(users_file()))
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard" / "app.py"), default_timeout=60)
    app.session_state["lang"] = lang
    app.session_state[SESSION_KEY] = auth.new_session("test-pokjanal", "pokjanal")
    for key, value in url.items():
        app.query_params[key] = value
    return app.switch_page(str(PROJECT_ROOT / "pages" / "ringkasan.py")).run()


def _picker(app, label):
    return next(w for w in [*app.sidebar.radio, *app.sidebar.selectbox] if w.label == label)


def _ranking(app):
    """The ranking of the areas one level down (the survey table, when the area has one, comes first)."""
    return next(d.value for d in app.dataframe if "stunting_change_pp" in d.value.columns)


def _numbers(values: pd.Series, lang: str) -> pd.Series:
    """A table's column as numbers again: tables are written as text by ``dashboard.format`` ("1.234,5",
    "−1,2", "–" for none), rounded as shown."""
    decimal, group = fmt.separators(lang)
    text = values.astype(str).str.replace(group, "", regex=False).str.replace(decimal, ".", regex=False)
    return pd.to_numeric(text.str.replace(fmt.MINUS, "-", regex=False).where(values != fmt.MISSING), errors="coerce")


def _url(app, key) -> str:
    value = app.query_params[key]
    return value[0] if isinstance(value, list) else value


def test_the_default_period_is_the_latest_complete_year(monkeypatch, demo_db):
    app = overview(monkeypatch, demo_db, wilayah="36.04")
    assert not app.exception, [e.message for e in app.exception]
    assert _url(app, "periode") == "2025"                           # not 2026, which has ten months
    assert app.caption[0].value == "Banten › Kabupaten Serang · Tahun 2025"
    assert not app.warning
    assert _picker(app, "Periode").options == ["Tahun 2026 (10 dari 12 bulan)", "Tahun 2025", "Tahun 2024 (2 dari 12 bulan)"]
    assert "12 bulan terakhir" in _picker(app, "Jenis periode").options


def test_a_partial_period_is_labelled_and_not_compared(monkeypatch, demo_db):
    app = overview(monkeypatch, demo_db, wilayah="36.04", periode="2026")
    assert not app.exception, [e.message for e in app.exception]
    assert app.caption[0].value == "Banten › Kabupaten Serang · Tahun 2026 (10 dari 12 bulan)"
    [warning] = app.warning
    assert "Januari 2026 – Oktober 2026" in warning.value and "10 dari 12 bulan" in warning.value
    metrics = {m.label: m for m in app.metric}
    assert not metrics["Stunting (pendek + sangat pendek)"].delta       # no like-for-like period
    assert metrics["Posyandu Purnama + Mandiri"].value == "tahun belum lengkap"
    ranking = _ranking(app)
    assert (ranking.stunting_change_pp == fmt.MISSING).all() and (ranking.stunting_significant == "").all()


def test_a_whole_period_ranking_carries_change_and_significance(monkeypatch, demo_db):
    app = overview(monkeypatch, demo_db, "en", wilayah="36.04", periode="2026-Q3")
    ranking = _ranking(app).set_index("code")
    measured = ranking[ranking.stunting_n != fmt.MISSING]
    change, now, before = (_numbers(measured[c], "en") for c in ("stunting_change_pp", "stunting_pct", "stunting_previous_pct"))
    assert len(measured) and change.notna().all()
    assert set(measured.stunting_significant) <= {"yes", "no"}
    assert (change - (now - before)).abs().max() <= 0.1 + 1e-9          # each written to one decimal
    assert _picker(app, "Period").options[0] == "Quarter 4 2026 (1 of 3 months)"


def test_the_rolling_period_is_offered_and_read_from_the_url(monkeypatch, demo_db):
    app = overview(monkeypatch, demo_db, wilayah="36.04", periode="12m-2026-10")
    assert not app.exception, [e.message for e in app.exception]
    assert _picker(app, "Jenis periode").value == "rolling"
    assert app.caption[0].value == "Banten › Kabupaten Serang · 12 bulan s.d. Oktober 2026"


def test_survey_figures_stand_beside_the_routine_ones_of_the_same_year(monkeypatch, demo_db):
    from tests.conftest import frame

    app = overview(monkeypatch, demo_db, wilayah="62", periode="2025")
    survey = next(d.value for d in app.dataframe if "routine_pct" in d.value.columns).set_index("year")
    assert list(survey.index) == ["2024", "2023", "2022"]                 # newest first, one row per survey
    assert survey.stunting_pct["2024"] == "22,1" and survey.source["2024"] == "Kemenkes, SSGI 2024"
    [(n, pct)] = frame(demo_db, "select denominator, prevalence from prevalence where region_code = '62' and "
                                "indicator = 'stunting' and period_type = 'year' and period_start = '2024-01-01'").itertuples(index=False)
    assert (survey.routine_n["2024"], survey.routine_pct["2024"]) == (fmt.count(n, "id"), fmt.number(pct, "id", 1))
    assert survey.routine_coverage["2024"] == "2 dari 12 bulan" and survey.routine_pct["2022"] == fmt.MISSING
    provisional = overview(monkeypatch, demo_db, wilayah="62.03", periode="2025")
    assert any("SSGI 2024 (kabupaten) (sementara)" in set(d.value.get("survey", [])) for d in provisional.dataframe)


def test_the_change_map_diverges_about_zero_and_draws_small_areas_apart(monkeypatch, demo_db):
    import json

    from dashboard.change import two_proportion_change
    from dashboard.maps import boundaries
    from dashboard.maps.figure import DIVERGING, change_classes
    from tests.conftest import frame
    from tests.maps.conftest import need

    monkeypatch.setenv(boundaries.ENV_VAR, str(need(boundaries.BUNDLED_DIR / "desa_36_banten.parquet")))
    app = overview(monkeypatch, demo_db, "en", wilayah="36", periode="12m-2026-10")
    app.toggle(key="overview_map_change").set_value(True).run()
    app.selectbox(key="overview_map_level_36_stunting").set_value("kabkota").run()
    assert not app.exception, [e.message for e in app.exception]
    [chart] = [c for c in app.get("plotly_chart") if '"choroplethmap"' in c.proto.spec]
    spec = json.loads(chart.proto.spec)
    drawn = {code: trace for trace in spec["data"] for code in trace["locations"]}
    rows = frame(demo_db, """select period_start, numerator, denominator from prevalence where region_code = '36.04'
                             and indicator = 'stunting' and period_type = 'rolling'
                             and period_start in ('2025-11-01', '2024-11-01') order by period_start desc""")
    [now, before] = rows.itertuples()
    if min(now.denominator, before.denominator) < 30:
        assert drawn["36.04"]["name"].startswith("Children < 30")
    else:
        change = two_proportion_change([now.numerator], [now.denominator], [before.numerator], [before.denominator])
        index = int(change_classes("en").of(change.change_pp).iloc[0])
        assert drawn["36.04"]["name"].startswith(change_classes("en").labels[index])
        assert drawn["36.04"]["colorscale"][0][1] == DIVERGING[index]
    assert drawn["36.01"]["name"].startswith("No data")
    assert spec["layout"]["legend"]["title"]["text"].endswith("Change (percentage points)")


def test_referrals_by_village_carry_the_overdue_share_before(monkeypatch, demo_db):
    import duckdb

    from dashboard.db import run_query

    monkeypatch.setenv("POSYANDU_DB", str(demo_db))
    monkeypatch.setenv("POSYANDU_USERS", str(users_file()))
    app = AppTest.from_file(str(PROJECT_ROOT / "dashboard" / "app.py"), default_timeout=60)
    app.session_state["lang"] = "en"
    app.session_state[SESSION_KEY] = auth.new_session("test-pokjanal", "pokjanal")
    app.query_params["wilayah"], app.query_params["periode"] = "36.04", "2026-Q3"
    app.switch_page(str(PROJECT_ROOT / "pages" / "rujukan.py")).run()
    assert not app.exception, [e.message for e in app.exception]
    shown = next(d.value for d in app.dataframe if "overdue_change_pp" in d.value.columns).set_index("village_code")
    with duckdb.connect(str(demo_db), read_only=True) as con:     # the backlog on the last day of Q2 2026
        before = run_query(con, "pages/rujukan/by_village", {"region": "36.04", "as_of": "2026-06-30"}).set_index("village_code")
    shown = shown.assign(**{c: _numbers(shown[c], "en") for c in ("open", "overdue", "previous_open", "overdue_change_pp")})
    both = shown.index.intersection(before.index)
    assert len(both) and (shown.previous_open[both] == before.open[both]).all()
    expected = 100 * shown.overdue[both] / shown.open[both] - 100 * before.overdue[both] / before.open[both]
    assert (shown.overdue_change_pp[both] - expected).abs().max() <= 0.05 + 1e-9    # written to one decimal
    assert shown.loc[shown.index.difference(before.index), "overdue_change_pp"].isna().all()
