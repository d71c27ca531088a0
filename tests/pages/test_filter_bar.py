"""The filter bar in AppTest (the browser test is tests/e2e/test_filter_change.py): every change of
region, period type and period takes effect on the first interaction (issue 16 §1), and a URL that
changes from outside (a shared link, a map click) sets the pickers."""

from __future__ import annotations

from tests.e2e.test_filter_change import stunting_counts
from tests.pages.test_indicator_pages import open_page

# (picker label, value set) -> (wilayah, periode) the URL holds after it
STEPS = [
    (("Jenis periode", "quarter"), ("36.04", "2025-Q4")),
    (("Periode", "2025-Q3"), ("36.04", "2025-Q3")),
    (("Jenis periode", "year"), ("36.04", "2025")),
    (("Periode", "2026"), ("36.04", "2026")),
    (("Jenis periode", "month"), ("36.04", "2026-10")),
    (("Periode", "2026-08"), ("36.04", "2026-08")),
    (("Kecamatan", "36.04.15"), ("36.04.15", "2026-08")),
    (("Desa/Kelurahan", "36.04.15.2008"), ("36.04.15.2008", "2026-08")),
    (("Desa/Kelurahan", "36.04.15.2002"), ("36.04.15.2002", "2026-08")),
    (("Kecamatan", ""), ("36.04", "2026-08")),
    (("Provinsi", "62"), ("62", "2026-08")),
    (("Kabupaten/Kota", "62.71"), ("62.71", "2026-08")),
    (("Jenis periode", "quarter"), ("62.71", "2026-Q3")),
    (("Jenis periode", "year"), ("62.71", "2026")),
    (("Jenis periode", "rolling"), ("62.71", "12m-2026-10")),
    (("Periode", "12m-2026-03"), ("62.71", "12m-2026-03")),
]


def _widget(app, label: str):
    return next(w for w in [*app.sidebar.radio, *app.sidebar.selectbox] if w.label == label)


def _url(app) -> tuple[str, str]:
    return tuple(str(app.query_params[k][0] if isinstance(app.query_params[k], list) else app.query_params[k])
                 for k in ("wilayah", "periode"))


def test_each_change_takes_effect_on_the_first_interaction(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "pages/ringkasan.py", {"wilayah": "36.04", "periode": "2025"})
    for (label, value), (region, period) in STEPS:
        _widget(app, label).set_value(value).run()
        assert not app.exception, [e.message for e in app.exception]
        assert _url(app) == (region, period), f"after {label} -> {value!r}"
        assert _widget(app, "Periode").value == period
        n, d = stunting_counts(demo_db, region, period)
        assert app.metric[0].help.startswith(f"{n} / {d} "), f"after {label} -> {value!r}"


def test_a_url_changed_from_outside_sets_the_pickers(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "pages/ringkasan.py", {"wilayah": "36.04", "periode": "2025"})
    _widget(app, "Jenis periode").set_value("month").run()
    app.query_params["wilayah"] = "62.71.01"        # what a map click or an opened link does
    app.query_params["periode"] = "2025-Q3"
    app.run()
    assert _url(app) == ("62.71.01", "2025-Q3")
    assert [_widget(app, level).value for level in ("Provinsi", "Kabupaten/Kota", "Kecamatan")] == \
        ["62", "62.71", "62.71.01"]
    assert (_widget(app, "Jenis periode").value, _widget(app, "Periode").value) == ("quarter", "2025-Q3")
    _widget(app, "Periode").set_value("2025-Q2").run()       # and the next change still counts at once
    assert _url(app) == ("62.71.01", "2025-Q2")


def test_switching_the_language_keeps_the_filters(monkeypatch, demo_db):
    app = open_page(monkeypatch, demo_db, "pages/ringkasan.py", {"wilayah": "36.04.15", "periode": "2025-Q3"})
    _widget(app, "Bahasa").set_value("en").run()
    assert _url(app) == ("36.04.15", "2025-Q3")
    assert _widget(app, "Period").value == "2025-Q3" and _widget(app, "District").value == "36.04.15"
