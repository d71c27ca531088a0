"""Importing through the browser (admin): a good export is loaded with the same accounting as the
command line, a file that is not a spreadsheet fails with its reason, and it writes nothing."""

from __future__ import annotations

import pytest

from tests.conftest import query, write_csv
from tests.e2e.conftest import assert_no_streamlit_exception, screenshot, start_app
from tests.e2e.login import open_logged_in, use_test_users

pytestmark = pytest.mark.e2e


def test_an_admin_imports_in_the_browser(page, tmp_path, db_path, monkeypatch):
    use_test_users(monkeypatch)
    good = write_csv(tmp_path / "timbang_agustus.csv", [
        ["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "TB", "Kode Desa"],
        ["3604150101230001", "L", "01/01/2024", "01/08/2025", "9,5", "75", "3604152001"],
        ["3604150101230002", "P", "01/02/2024", "01/08/2025", "berat", "74", "3604152001"],
    ])
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"this is not a workbook")
    url, app = start_app(db_path, tmp_path / "streamlit.log")
    try:
        open_logged_in(page, f"{url}/impor", user="test-admin")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files([str(good), str(broken)])
        page.get_by_text("rusak.xlsx").first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Impor", exact=True).click()
        page.get_by_text("1 file diproses, 1 gagal.").wait_for(timeout=60_000)
        assert_no_streamlit_exception(page)
        screenshot(page, "import_in_browser")
        assert query(db_path, "select count(*) from measurements") == [(1,)]
        assert query(db_path, "select file_name, rows_read, rows_loaded, rows_rejected from import_batches") == [
            ("timbang_agustus.csv", 2, 1, 1)]
        assert query(db_path, "select column_name from rejects") == [("BB",)]
    finally:
        app.terminate()
        app.wait(timeout=10)
