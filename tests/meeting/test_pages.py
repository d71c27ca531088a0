"""The meeting pages on the tiny demo database (AppTest): record a meeting and a decision with its
baseline read from the overview's named query, update its status, the admin's corrections, the
agency view from a shared link, and the meeting page opening with the last meeting's decisions."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.meeting.store import Decision, DecisionStore, Meeting
from tests.conftest import frame
from tests.pages.test_indicator_pages import open_page

FILTERS = {"wilayah": "36.04", "periode": "2026-Q2"}


@pytest.fixture
def store(tmp_path, monkeypatch) -> DecisionStore:
    path = tmp_path / "decisions.sqlite"
    monkeypatch.setenv("POSYANDU_DECISIONS", str(path))
    return DecisionStore(path)


def button(app, label: str):
    return next(b for b in app.button if b.label == label)


def no_exception(app) -> None:
    assert not app.exception, [e.message for e in app.exception]


def test_a_meeting_and_a_decision_are_recorded_with_the_value_at_the_time(monkeypatch, demo_db, store):
    app = open_page(monkeypatch, demo_db, "pages/keputusan.py", FILTERS)
    no_exception(app)
    assert any("Belum ada rapat" in i.value for i in app.info)
    app.multiselect[0].select("dinas_sosial").select("puskesmas")
    app = button(app, "Simpan rapat").click().run()
    no_exception(app)
    [meeting] = store.meetings("36.04").itertuples()
    assert (meeting.period, meeting.level, meeting.created_by) == ("2026-Q2", "kabkota", "test-pokjanal")
    assert "Rapat tersimpan." in [s.value for s in app.success]

    action = next(a for a in app.text_area if a.label == "Tindakan")
    action.input("Kunjungan rumah balita stunting")
    next(s for s in app.selectbox if s.label == "Instansi penanggung jawab").select("dinas_kesehatan")
    app = button(app, "Simpan keputusan").click().run()
    no_exception(app)
    [decision] = store.decisions().itertuples()
    [(value, numerator, n)] = frame(demo_db, "select prevalence, numerator, denominator from prevalence where "
                                             "region_code = '36.04' and indicator = 'stunting' and period_type = 'quarter' "
                                             "and period_start = date '2026-04-01'").itertuples(index=False)
    assert (decision.area_code, decision.agency, decision.indicator, decision.indicator_period) == (
        "36.04", "dinas_kesehatan", "stunting", "2026-Q2")
    assert decision.baseline_value == pytest.approx(value) and (decision.baseline_numerator, decision.baseline_n) == (
        numerator, n)
    shown = app.dataframe[0].value
    assert list(shown["Tindakan"]) == ["Kunjungan rumah balita stunting"]
    assert list(shown["Instansi penanggung jawab"]) == ["Dinas Kesehatan"]

    next(s for s in app.selectbox if s.label == "Status").select("selesai")
    next(s for s in app.text_input if s.label == "Catatan singkat").input("12 rumah dikunjungi")
    app = button(app, "Simpan status").click().run()
    no_exception(app)
    assert list(store.decisions().status) == ["selesai"]
    assert list(store.updates(decision.decision_id).note) == ["12 rumah dikunjungi"]
    assert not any(b.label == "Hapus keputusan" for b in app.button), "only an admin deletes"


def test_an_empty_action_is_refused_in_words_and_nothing_is_saved(monkeypatch, demo_db, store):
    store.add_meeting(Meeting(date(2026, 8, 10), "36.04", "2026-Q2"), "siti")
    app = open_page(monkeypatch, demo_db, "pages/keputusan.py", FILTERS)
    app = button(app, "Simpan keputusan").click().run()
    no_exception(app)
    assert "Tulis tindakan yang akan dilakukan." in [e.value for e in app.error]
    assert store.decisions().empty


def test_an_admin_corrects_and_deletes_and_the_trail_keeps_both(monkeypatch, demo_db, store):
    meeting = store.add_meeting(Meeting(date(2026, 8, 10), "36.04", "2026-Q2"), "siti")
    decision = store.add_decision(meeting, Decision("36.04", "Rapat desa", "pemdes", date(2026, 9, 30)), "siti")
    app = open_page(monkeypatch, demo_db, "pages/keputusan.py", FILTERS, role="admin")
    correct = [a for a in app.text_area if a.label == "Tindakan" and a.value == "Rapat desa"]
    correct[0].input("Rapat desa bersama camat")
    app = button(app, "Simpan koreksi").click().run()
    no_exception(app)
    assert list(store.decisions().action) == ["Rapat desa bersama camat"]
    app = next(c for c in app.checkbox if c.label.startswith("Ya, hapus")).check().run()
    app = button(app, "Hapus keputusan").click().run()
    no_exception(app)
    assert store.decisions().empty
    assert list(store.audit("decision", decision).action) == ["delete", "correct", "create"]
    trail = app.dataframe[-1].value
    assert trail["Oleh"].tolist()[:2] == ["test-admin", "test-admin"]
    assert any("Tindakan: Rapat desa → Rapat desa bersama camat" in text for text in trail["Perubahan"])


def test_an_agency_view_opens_from_a_shared_link(monkeypatch, demo_db, store):
    meeting = store.add_meeting(Meeting(date(2026, 8, 10), "36.04", "2026-Q2"), "siti")
    store.add_decision(meeting, Decision("36.04.15", "Data bansos", "dinas_sosial", date(2026, 9, 30)), "siti")
    store.add_decision(meeting, Decision("36.04", "Bukan urusannya", "puskesmas", date(2026, 9, 30)), "siti")
    app = open_page(monkeypatch, demo_db, "pages/instansi.py", FILTERS | {"instansi": "dinas_sosial"})
    no_exception(app)
    assert app.selectbox(key="agency_pick").value == "dinas_sosial"
    overdue = app.dataframe[0].value                      # past due comes first; nothing is due within 14 days
    assert list(overdue["Tindakan"]) == ["Data bansos"]
    assert "instansi=dinas_sosial" in app.code[0].value


def test_the_meeting_page_opens_with_the_last_meetings_open_decisions(monkeypatch, demo_db, store):
    meeting = store.add_meeting(Meeting(date(2026, 8, 10), "36.04", "2026-Q2"), "siti")
    store.add_decision(meeting, Decision("36.04.15", "Kunjungan rumah", "puskesmas", date(2026, 9, 30),
                                         indicator="stunting", indicator_period="2026-Q2", baseline_value=30.0,
                                         baseline_numerator=3, baseline_n=10), "siti")
    app = open_page(monkeypatch, demo_db, "pages/pokjanal.py", {"wilayah": "36.04", "periode": "2026-Q3"})
    no_exception(app)
    assert "Tindak lanjut rapat lalu" in [h.value for h in app.subheader]
    shown = app.table[0].value
    assert list(shown["Tindakan"]) == ["Kunjungan rumah"]
    assert shown["Perubahan sejak keputusan"].iloc[0].startswith("Stunting (pendek + sangat pendek) 30,0% (n 10) → ")


@pytest.mark.parametrize("page", ["keputusan", "instansi"])
def test_the_meeting_pages_refuse_a_citizen_before_opening_the_store(monkeypatch, demo_db, tmp_path, page):
    from streamlit.testing.v1 import AppTest

    from dashboard import auth
    from dashboard.config import PROJECT_ROOT
    from tests.pages.test_indicator_pages import users_file

    path = tmp_path / "decisions.sqlite"
    monkeypatch.setenv("POSYANDU_DECISIONS", str(path))
    monkeypatch.setenv("POSYANDU_DB", str(demo_db))
    monkeypatch.setenv("POSYANDU_USERS", str(users_file()))
    app = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=60).run()
    no_exception(app)
    assert [e.value for e in app.error] == ["Halaman ini hanya untuk pengguna internal yang sudah masuk."]
    assert not app.dataframe and not path.exists()
    assert auth.allowed("pokjanal", page) and auth.allowed("admin", page) and not auth.allowed("publik", page)


@pytest.mark.parametrize("page", ["pages/keputusan.py", "pages/instansi.py", "pages/pokjanal.py"])
def test_the_meeting_pages_run_in_english_on_the_demo_meetings(monkeypatch, demo_db, store, page):
    from dashboard.meeting.demo import seed_demo_meetings

    seed_demo_meetings(store, demo_db)
    app = open_page(monkeypatch, demo_db, page, {"wilayah": "36", "periode": "2026"}, lang="en", role="admin")
    no_exception(app)
    assert not app.error
    tables = [d.value for d in app.dataframe] + [d.value for d in app.table]
    statuses = {s for table in tables if "Status" in table.columns for s in table["Status"]}
    agencies = {a for table in tables if "Responsible agency" in table.columns for a in table["Responsible agency"]}
    assert statuses and statuses <= {"Planned", "In progress", "Done", "Cancelled"}     # named, never the stored code
    assert agencies and not agencies & {"dinas_kesehatan", "puskesmas", "pemdes"}


def test_a_province_meeting_records_a_decision_for_a_kecamatan_chosen_in_the_filter(monkeypatch, demo_db, store):
    province = store.add_meeting(Meeting(date(2026, 8, 10), "36", "2026-Q2"), "siti")
    app = open_page(monkeypatch, demo_db, "pages/keputusan.py", {"wilayah": "36.04.15", "periode": "2026-Q2"})
    no_exception(app)
    assert app.selectbox(key="meeting_pick").value == province
    assert app.selectbox(key="meeting_pick").options[0].startswith("Banten · 10 Agu 2026")     # the day as dashboard.format writes it
    next(a for a in app.text_area if a.label == "Tindakan").input("Posyandu keliling")
    app = button(app, "Simpan keputusan").click().run()
    no_exception(app)
    [decision] = store.decisions().itertuples()
    assert (decision.meeting_id, decision.area_code) == (province, "36.04.15")
