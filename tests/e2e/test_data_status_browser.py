"""The data status page in a real browser: figures appear, an import shows up without a restart, and a
page opened while an import writes says that the data is being updated, then shows it."""

from __future__ import annotations

import threading

import pytest

from dashboard.ingest.loader import import_files
from tests.conftest import write_csv
from tests.e2e.conftest import TIMEOUT, assert_no_streamlit_exception, screenshot, start_app, wait_for_app_idle
from tests.e2e.login import open_logged_in, use_test_users

pytestmark = pytest.mark.e2e

HEAD = ["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "TB", "Kode Desa", "Posyandu"]


def export(tmp_path, name, count):
    rows = [[f"36041501012300{i:02d}", "L", "01/01/2024", "01/08/2025", "9,5", "75", "3604152001", "Melati 1"]
            for i in range(1, count + 1)]
    return write_csv(tmp_path / name, [HEAD] + rows + [["x", "L", "01/01/2024", "01/08/2025", "berat", "", "", ""]])


def test_data_page_shows_counts_and_picks_up_a_new_import(page, tmp_path, db_path, monkeypatch):
    use_test_users(monkeypatch)
    import_files([export(tmp_path, "first.csv", 3)], db_path)
    url, app = start_app(db_path, tmp_path / "streamlit.log")
    try:
        open_logged_in(page, f"{url}/data")
        page.get_by_text("Riwayat impor", exact=True).wait_for(timeout=TIMEOUT)
        page.locator("[data-testid=stDataFrame] canvas").first.wait_for(timeout=TIMEOUT)
        wait_for_app_idle(page)
        assert_no_streamlit_exception(page)
        metric = page.locator('[data-testid="stMetric"]').first
        assert metric.inner_text().splitlines()[-1] == "3"
        screenshot(page, "data_status")

        import_files([export(tmp_path, "second.csv", 7)], db_path)
        open_logged_in(page, f"{url}/data")
        page.get_by_text("Riwayat impor", exact=True).wait_for(timeout=TIMEOUT)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMetric\"]')?.innerText.trim().endsWith('7')",
            timeout=TIMEOUT)
        assert_no_streamlit_exception(page)
    finally:
        app.terminate()
        app.wait(timeout=10)


def test_a_page_opened_during_an_import_waits_with_a_message_then_shows_the_import(page, tmp_path, db_path,
                                                                                    monkeypatch):
    use_test_users(monkeypatch)
    import_files([export(tmp_path, "first.csv", 3)], db_path)
    url, app = start_app(db_path, tmp_path / "streamlit.log")
    writing, release = threading.Event(), threading.Event()

    def hold(con):  # inside the import's write, after its rows are loaded: wait until the test lets go
        writing.set()
        release.wait(timeout=TIMEOUT / 1000)

    importer = threading.Thread(target=import_files, args=([export(tmp_path, "second.csv", 7)], db_path),
                                kwargs={"after_load": hold})
    try:
        open_logged_in(page, f"{url}/data")
        page.locator('[data-testid="stMetric"]').first.wait_for(timeout=TIMEOUT)
        wait_for_app_idle(page)
        importer.start()
        assert writing.wait(timeout=TIMEOUT / 1000), "the import never got the database (a reader kept it)"
        page.reload()
        page.get_by_text("Data sedang diperbarui...").first.wait_for(timeout=TIMEOUT)
        screenshot(page, "data_being_updated")
        release.set()
        importer.join(timeout=TIMEOUT / 1000)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stMetric\"]')?.innerText.trim().endsWith('7')",
            timeout=TIMEOUT)
        assert_no_streamlit_exception(page)
    finally:
        release.set()
        app.terminate()
        app.wait(timeout=10)
