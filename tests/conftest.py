"""Shared fixtures: real export files written by the tests, and a real DuckDB database."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest


def write_csv(path: Path, rows: list[list[object]], delimiter: str = ";", encoding: str = "utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows([["" if c is None else c for c in r] for r in rows])
    return path


def write_xlsx(path: Path, rows: list[list[object]], sheet: str = "Data") -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def query(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    """An empty database with the schema and the region list, built once per test session."""
    from dashboard.db import writer
    from dashboard.regions import load_regions

    path = tmp_path_factory.mktemp("template") / "template.duckdb"
    with writer(path) as con:
        load_regions(con)
    return path


@pytest.fixture
def db_path(tmp_path: Path, template_db: Path) -> Path:
    """A fresh database for one test (a copy of the template)."""
    path = tmp_path / "test.duckdb"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, template_db) -> Path:
    """The tiny demo (three kecamatan of Kab Serang and Kota Palangka Raya) imported into a real database."""
    from dashboard.demo import build_demo

    base = tmp_path_factory.mktemp("demo_db")
    path = base / "demo.duckdb"
    shutil.copyfile(template_db, path)
    build_demo(path, "tiny", 11, base / "files")
    return path


def frame(db: Path, sql: str, params: dict | None = None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or {}).df()


# One Chromium for the whole run, whichever folder's browser test asks first: Playwright's sync API
# cannot be started a second time in the same thread while the first is running.
@pytest.fixture(scope="session")
def browser():
    from dashboard.serve import CHROMIUM, launch_chromium

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's package 'chromium' "
                    "(.ci/run does) to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    yield tab
    context.close()
