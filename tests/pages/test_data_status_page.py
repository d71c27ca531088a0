"""The data status page on a real database, and its empty state without one (AppTest)."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ingest.loader import import_files
from tests.conftest import write_csv
from tests.pages.test_indicator_pages import open_page


def run_app(monkeypatch, db_path, lang="id") -> AppTest:
    return open_page(monkeypatch, db_path, "pages/data_status.py", {}, lang)


def test_empty_state_explains_how_to_import(monkeypatch, tmp_path):
    app = run_app(monkeypatch, tmp_path / "none.duckdb")
    assert not app.exception
    assert "Belum ada basis data" in app.info[0].value
    assert "dashboard import" in app.code[0].value


@pytest.mark.parametrize("lang, heading", [("id", "Riwayat impor"), ("en", "Import history")])
def test_counts_batches_and_reject_reasons_are_shown(monkeypatch, tmp_path, db_path, lang, heading):
    export = write_csv(tmp_path / "ukur.csv", [
        ["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "Kode Desa"],
        ["3604150101230001", "L", "01/01/2024", "01/08/2025", "9,5", "3604152001"],
        ["3604150101230002", "L", "01/01/2024", "01/08/2025", "sembilan", "3604152001"],
    ])
    import_files([export], db_path)
    app = run_app(monkeypatch, db_path, lang)
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    measurements, referrals = ("Pengukuran balita", "Rujukan") if lang == "id" else ("Child measurements", "Referrals")
    assert metrics[measurements] == "1" and metrics[referrals] == "0"
    assert heading in [s.value for s in app.subheader]
    batches, reasons = app.dataframe[0].value, app.dataframe[1].value
    assert batches.iloc[0][["rows_read", "rows_loaded", "rows_rejected"]].tolist() == ["2", "1", "1"]   # as written
    reason = "bukan angka" if lang == "id" else "not a number"
    assert reasons.iloc[0]["reason"] == reason and reasons.iloc[0]["column_name"] == "BB"
    assert "reason_en" not in reasons and "reason_id" not in reasons       # one language, the reader's


def test_no_code_or_column_name_is_shown(monkeypatch, tmp_path, db_path):
    """Headings come from the phrase list, datasets are named, and a missing value reads "–", never "None"."""
    export = write_csv(tmp_path / "ukur.csv", [["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "Kode Desa"],
                                               ["3604150101230002", "L", "01/01/2024", "01/08/2025", "x", "3604152001"]])
    import_files([export], db_path)
    app = run_app(monkeypatch, db_path, "en")
    assert len(app.dataframe) == 2
    for table in app.dataframe:
        headings = shown_headings(table)
        assert "Import no." in headings and not {"batch_id", "rows_read", "reason_en", "reason_id"} & set(headings)
    assert {m.label for m in app.metric} >= {"Child measurements", "Registered posyandu"}


def shown_headings(table) -> list[str]:
    """The headings a reader sees: each column's label from the column configuration, else its name."""
    config = json.loads(table.proto.columns or "{}")
    return [config.get(str(column), {}).get("label", str(column)) for column in table.value.columns]
