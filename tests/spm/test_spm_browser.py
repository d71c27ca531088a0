"""The Posyandu 6 SPM page in a real browser: which posyandu are not registered, which are not active in
the social field and where, and which agency owns the social backlog (read from the tables' downloads)."""

from __future__ import annotations

import csv
import io

import pytest

from tests.e2e.conftest import (TIMEOUT, assert_no_streamlit_exception, rerun_after, screenshot, start_app,
                                wait_for_app_idle)
from tests.e2e.login import open_logged_in, use_test_users
from tests.spm.test_spm_queries import world_db  # noqa: F401  (the fixture)

pytestmark = pytest.mark.e2e


def download(page, key: str, path) -> str:
    """The CSV the download button of the table ``key`` gives."""
    with page.expect_download() as event:
        rerun_after(page, page.locator(f".st-key-csv_{key} button").click)    # the download is audited: a run
    event.value.save_as(path)
    return path.read_text(encoding="utf-8-sig")


def data_rows(text: str) -> list[list[str]]:
    """The rows of a downloaded table without its heading and without the area and period every download
    puts first."""
    return [row[2:] for row in csv.reader(io.StringIO(text))][1:]


def test_spm_page_answers_in_a_browser(browser, world_db, tmp_path, monkeypatch):  # noqa: F811  (fixtures)
    use_test_users(monkeypatch)
    monkeypatch.setenv("POSYANDU_DECISIONS", str(tmp_path / "decisions.sqlite"))
    monkeypatch.setenv("POSYANDU_ACCESS_DB", str(tmp_path / "access.sqlite"))
    url, app = start_app(world_db, tmp_path / "streamlit.log")
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    try:
        page.set_default_timeout(TIMEOUT)
        open_logged_in(page, f"{url}/spm?wilayah=36.04.15&periode=2025")
        page.get_by_text("Daftar posyandu belum teregistrasi").wait_for(timeout=TIMEOUT)
        page.locator(".st-key-csv_not_registered button").wait_for(timeout=TIMEOUT)
        wait_for_app_idle(page)
        assert_no_streamlit_exception(page)
        unregistered = download(page, "not_registered", tmp_path / "not_registered.csv")
        assert "Anggrek" in unregistered and "Melati" not in unregistered

        page.locator(".st-key-spm_field").get_by_role("combobox").click()
        rerun_after(page, page.get_by_role("option", name="Sosial", exact=True).click)
        page.get_by_text("Daftar posyandu belum aktif di bidang Sosial").wait_for(timeout=TIMEOUT)
        assert_no_streamlit_exception(page)
        idle = download(page, "not_active", tmp_path / "not_active.csv")
        assert sorted(row[0] for row in data_rows(idle)) == ["Anggrek", "Mawar"]
        where = download(page, "where", tmp_path / "where.csv")
        assert "Leuwi Limus" in where and "36.04.15" not in where   # villages by name, never a raw code
        backlog = download(page, "referrals", tmp_path / "referrals.csv")
        assert any(row[:4] == ["Sosial", "Dinas Sosial", "2", "1"] for row in data_rows(backlog)), backlog
        screenshot(page, "spm_page")
    except Exception:
        screenshot(page, "spm_page_failed")
        raise
    finally:
        context.close()
        app.terminate()
        app.wait(timeout=10)
