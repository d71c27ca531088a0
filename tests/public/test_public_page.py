"""The public page on the tiny demo (AppTest): its figures are the database's where shown and hidden
where the suppression rules say, and nothing it shows, downloads or draws holds an identifier of the
source exports."""

from __future__ import annotations

import json

import pytest

from dashboard.public import suppress
from tests.conftest import frame
from tests.pages.test_indicator_pages import open_page
from tests.public.identifiers import leaks, source_identifiers

FILTERS = [{"wilayah": "36", "periode": "2025"}, {"wilayah": "62", "periode": "2026"}]


@pytest.fixture(scope="module")
def identifiers(demo_db):
    found = source_identifiers(demo_db.parent / "files")
    assert len(found["nik"]) > 100 and len(found["name"]) > 10 and len(found["birth"]) > 100 and found["case"]
    return found


def _everything_shown(app) -> str:
    """All text, tables (what each CSV download holds: ``ui.table`` downloads what it shows) and chart specs
    of a run, as one string. The browser test scans the page's HTML and the downloaded files themselves."""
    parts = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error")
             for e in getattr(app, kind)]
    parts += [f"{m.label} {m.value}" for m in app.metric]
    parts += [d.value.to_csv(index=False) for d in app.dataframe]
    parts += [chart.proto.spec for chart in app.get("plotly_chart")]
    return "\n".join(parts)


@pytest.mark.parametrize("filters", FILTERS, ids=["banten-2025", "kalteng-2026"])
def test_nothing_on_the_public_page_identifies_anyone(monkeypatch, demo_db, identifiers, filters):
    app = open_page(monkeypatch, demo_db, "pages/publik.py", filters, role=None)
    assert not app.exception
    shown = _everything_shown(app)
    assert "disembunyikan" in shown or "Kota Palangkaraya" in shown
    assert leaks(shown, identifiers) == []


def test_the_identifier_scan_would_catch_a_leak(identifiers):
    """The scan itself can fail: a text holding one NIK, name or birth date is caught."""
    nik, name, birth = sorted(identifiers["nik"])[0], sorted(identifiers["name"])[0], sorted(identifiers["birth"])[0]
    assert leaks(f"anak {name} lahir {birth}", identifiers) and leaks(f"NIK {nik}", identifiers)


def test_shown_figures_are_the_database_and_hidden_ones_follow_the_rules(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "pages/publik.py", {"wilayah": "36", "periode": "2025"}, "en", role=None)
    truth = frame(demo_db, """select r.name, coalesce(p.numerator, 0) as stunted, coalesce(p.denominator, 0) as measured
                              from regions r left join prevalence p on p.region_code = r.code and p.indicator = 'stunting'
                              and p.period_type = 'year' and p.period_start = '2025-01-01'
                              where r.parent_code = '36' and r.level = 'kabkota'""").set_index("name")
    table = app.dataframe[0].value.set_index("Area")
    assert set(table.index) == set(truth.index)
    threshold = suppress.suppression_threshold()
    for name, row in table.iterrows():
        real = truth.loc[name]
        for column, value in (("stunted", row["Stunted children"]), ("measured", row["Children measured"])):
            if value == "hidden":
                continue
            assert int(value.replace(",", "")) == real[column]
            assert not 0 < real[column] < threshold, f"{name} {column} = {real[column]} is shown"
        if 0 < real.stunted < threshold:
            assert row["Stunted children"] == "hidden"
    [(total_n, total_d)] = frame(demo_db, """select numerator, denominator from prevalence where region_code = '36'
                                  and indicator = 'stunting' and period_type = 'year' and period_start = '2025-01-01'""").itertuples(index=False)
    assert app.metric[0].value == f"{100 * total_n / total_d:.1f}%"


def test_the_village_map_hides_small_villages(monkeypatch, demo_db):
    from dashboard.maps import boundaries
    from tests.maps.conftest import need

    monkeypatch.setenv(boundaries.ENV_VAR, str(need(boundaries.BUNDLED_DIR / "desa_36_banten.parquet")))
    app = open_page(monkeypatch, demo_db, "pages/publik.py", {"wilayah": "36", "periode": "2025", "peta": "36.04"},
                    "en", role=None)
    assert not app.exception
    [chart] = [c for c in app.get("plotly_chart") if '"choroplethmap"' in c.proto.spec]
    traces = json.loads(chart.proto.spec)["data"]
    drawn = {code: trace["name"] for trace in traces for code in trace["locations"]}
    villages = frame(demo_db, """select r.code, coalesce(p.numerator, 0) as n, coalesce(p.denominator, 0) as d
                                 from regions r left join prevalence p on p.region_code = r.code and p.indicator = 'stunting'
                                 and p.period_type = 'year' and p.period_start = '2025-01-01'
                                 where r.level = 'desa' and r.code like '36.04.%'""")
    assert set(drawn) == set(villages.code)
    for row in villages.itertuples():
        if 0 < row.n < suppress.suppression_threshold() or 0 < row.d < suppress.min_rate_denominator():
            assert drawn[row.code].startswith("hidden"), row
    assert all("customdata[3]" not in trace["hovertemplate"] for trace in traces)   # no counts in the hover


@pytest.mark.parametrize(("lang", "separators", "decimal"), [("id", ",.", ","), ("en", ".,", ".")])
def test_charts_write_numbers_the_readers_way(monkeypatch, demo_db, lang, separators, decimal):
    """Decimal comma and thousands point in Indonesian, as the metrics and tables write them."""
    app = open_page(monkeypatch, demo_db, "pages/publik.py", {"wilayah": "36", "periode": "2025"}, lang, role=None)
    specs = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    assert len(specs) >= 2                                           # the ranking and the map
    assert {spec["layout"].get("separators") for spec in specs} == {separators}
    assert decimal in app.metric[0].value                            # as the metric writes them


def test_a_deployment_can_switch_the_apps_public_route_off(monkeypatch, demo_db):
    """Citizens get the static site's address, not the app's figures; a logged-in user still previews the page."""
    monkeypatch.setenv("POSYANDU_PUBLIC_ROUTE", "off")
    monkeypatch.setenv("POSYANDU_PUBLIC_SITE_URL", "https://data.example.go.id/")
    citizen = open_page(monkeypatch, demo_db, "pages/publik.py", {"wilayah": "36", "periode": "2025"}, role=None)
    assert not citizen.exception
    assert len(citizen.dataframe) == 0 and len(citizen.metric) == 0
    assert any("https://data.example.go.id/" in c.value for c in citizen.caption)
    assert any("dimatikan" in i.value for i in citizen.info)
    staff = open_page(monkeypatch, demo_db, "pages/publik.py", {"wilayah": "36", "periode": "2025"}, role="pokjanal")
    assert not staff.exception and len(staff.dataframe) >= 3


def test_the_public_page_opens_on_a_complete_year_and_says_when_a_year_is_partial(monkeypatch, demo_db):
    """Without a year in the link the page opens on the province's latest complete year; a partial year,
    when chosen, is labelled in the picker and said under the heading (issue: incomplete periods)."""
    rows = frame(demo_db, "select year(period_start) as year, complete, months_with_data from completeness "
                          "where region_code = '36' and period_type = 'year' order by year")
    complete = [int(y) for y, c in zip(rows.year, rows.complete) if c]
    partial = [int(y) for y, c in zip(rows.year, rows.complete) if not c]
    assert complete and partial, rows                       # the demo has both, or this test proves nothing
    app = open_page(monkeypatch, demo_db, "pages/publik.py", {"wilayah": "36"}, role=None)
    assert not app.exception
    year = app.selectbox[1]
    assert year.value == max(complete)
    newest = max(partial)
    label = year.format_func(newest)
    assert "dari 12 bulan" in label or "posyandu melapor" in label, label
    app = open_page(monkeypatch, demo_db, "pages/publik.py", {"wilayah": "36", "periode": str(newest)}, role=None)
    assert not app.exception
    assert any("dari 12 bulan" in w.value or "posyandu melapor" in w.value for w in app.warning)
