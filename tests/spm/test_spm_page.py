"""The Posyandu 6 SPM page (AppTest) answers: which posyandu are not registered, not active in field X, where,
and which agency owns the backlog."""

from __future__ import annotations

import pytest

from tests.pages.test_indicator_pages import open_page
from tests.spm.test_spm_queries import world_db  # noqa: F401  (the fixture)


def table_texts(app) -> list[str]:
    return [str(frame.value.to_dict()) for frame in app.dataframe]


def _number(text) -> float:
    """A number as the page writes it in Indonesian (10.345,5), read back."""
    return float(str(text).replace(".", "").replace(",", "."))


def test_page_answers_registration_activity_and_backlog(monkeypatch, world_db, tmp_path):  # noqa: F811
    monkeypatch.setenv("POSYANDU_DECISIONS", str(tmp_path / "decisions.sqlite"))
    app = open_page(monkeypatch, world_db, "pages/spm.py", {"wilayah": "36.04.15", "periode": "2025"})
    assert not app.exception, [e.message for e in app.exception]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Belum teregistrasi"] == "1" and metrics["Registrasi setelah batas"] == "1"
    texts = " ".join(table_texts(app))
    assert "Anggrek" in texts                                     # the unregistered posyandu, named
    app.selectbox(key="spm_field").set_value("sosial").run()
    assert not app.exception
    idle = [f.value for f in app.dataframe if "posyandu" in f.value.columns and "cadres" in f.value.columns
            and "kecamatan" in f.value.columns and len(f.value.columns) == 4][0]
    assert sorted(idle.posyandu) == ["Anggrek", "Mawar"]          # not active in the social field
    referrals = [f.value for f in app.dataframe if "destination_agency" in f.value.columns][0]
    owners = dict(zip(zip(referrals.field, referrals.destination_agency), referrals.open.map(_number)))
    assert owners[("Sosial", "Dinas Sosial")] == 1 and owners[("Sosial", "DP3A (Perlindungan Perempuan dan Anak)")] == 1


def test_assessment_typed_on_the_page_is_ranked_and_printed(monkeypatch, world_db, tmp_path):  # noqa: F811
    monkeypatch.setenv("POSYANDU_DECISIONS", str(tmp_path / "decisions.sqlite"))
    app = open_page(monkeypatch, world_db, "pages/spm.py", {"wilayah": "36.04.15", "periode": "2025"})
    app.selectbox(key="p2wkss_village").set_value("36.04.15.2002")
    for part, score in (("basic", 80), ("follow_up", 70), ("support", 60), ("innovation", 50)):
        app.number_input(key=f"p2wkss_{part}").set_value(score)
    app.button[[b.label for b in app.button].index("Simpan nilai")].click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert [s.value for s in app.success] == ["Nilai tersimpan."]
    ranked = [f.value for f in app.dataframe if "total" in f.value.columns][0]
    assert [[c, _number(t), _number(r)] for c, t, r in ranked[["village_code", "total", "rank"]].values.tolist()] == [
        ["36.04.15.2002", 68.0, 1]]
    assert (tmp_path / "p2wkss.sqlite").exists()


def test_page_refuses_a_citizen_when_run_directly(monkeypatch, demo_db, tmp_path):
    from streamlit.testing.v1 import AppTest

    from dashboard.config import PROJECT_ROOT
    from tests.pages.test_indicator_pages import users_file

    monkeypatch.setenv("POSYANDU_DB", str(demo_db))
    monkeypatch.setenv("POSYANDU_USERS", str(users_file()))
    monkeypatch.setenv("POSYANDU_ACCESS_DB", str(tmp_path / "access.sqlite"))
    app = AppTest.from_file(str(PROJECT_ROOT / "pages" / "spm.py"), default_timeout=60).run()
    assert not app.exception and app.error and not app.dataframe and not app.metric


@pytest.mark.parametrize("filters", [{}, {"wilayah": "36.04", "periode": "2025"}, {"wilayah": "36.04.15", "periode": "2026-Q3"},
                                     {"wilayah": "62.71.01.1001", "periode": "2026-05"}],
                         ids=["default", "kab-year", "kec-quarter", "desa-month"])
def test_page_runs_on_the_demo(monkeypatch, demo_db, tmp_path, filters):
    monkeypatch.setenv("POSYANDU_DECISIONS", str(tmp_path / "decisions.sqlite"))
    app = open_page(monkeypatch, demo_db, "pages/spm.py", filters)
    assert not app.exception, [e.message for e in app.exception]
    assert app.metric and len(app.dataframe) >= 5
