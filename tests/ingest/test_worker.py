"""Browser uploads are imported in a worker process with memory and time limits."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.ingest import worker
from dashboard.ingest.worker import STOPPED, import_in_worker
from tests.conftest import query, write_csv

HEAD = ["NIK", "JK", "Tgl Lahir", "Tanggal Pengukuran", "BB", "TB", "Kode Desa", "Posyandu"]


def export(tmp_path, name="a.csv"):
    rows = [HEAD] + [[f"36041501012400{i:02d}", "P", "05/01/2024", "15/08/2025", "9,5", "75", "36.04.15.2001", "Melati"]
                     for i in range(1, 4)]
    return write_csv(tmp_path / name, rows)


def test_the_worker_imports_and_reports_progress(tmp_path, db_path):
    steps = []
    [result] = import_in_worker([export(tmp_path)], db_path, progress=lambda *step: steps.append(step))
    assert (result.error, result.rows_loaded, result.status) == (None, 3, "ok")
    assert steps == [(1, 1, "a.csv")]
    assert query(db_path, "select count(*) from measurements where haz is not null") == [(3,)]  # refreshed too


def test_a_worker_over_its_memory_limit_is_stopped_and_nothing_changes(tmp_path, db_path):
    before = db_path.read_bytes()
    [result] = import_in_worker([export(tmp_path)], db_path, memory_bytes=64 * 1024 * 1024)
    assert result.error == STOPPED
    assert db_path.read_bytes() == before


def test_a_worker_over_its_time_limit_is_stopped_and_nothing_changes(tmp_path, db_path):
    before = db_path.read_bytes()
    [result] = import_in_worker([export(tmp_path)], db_path, timeout_seconds=0.5)
    assert result.error == STOPPED
    assert db_path.read_bytes() == before


def test_the_public_site_rebuild_after_a_browser_import_runs_without_the_workers_limits(tmp_path, db_path,
                                                                                       monkeypatch):
    monkeypatch.setenv("POSYANDU_DB", str(db_path))
    monkeypatch.delenv("POSYANDU_PUBLIC_SITE", raising=False)
    site = db_path.parent / "publik-site"                 # the default: beside the database
    (tmp_path / "publik-site.builds").mkdir()
    site.symlink_to("publik-site.builds")                 # a site was built before: imports rebuild it
    [result] = import_in_worker([export(tmp_path)], db_path)
    assert result.rows_loaded == 3
    build = worker.site_build
    assert build is not None, "the import did not start a rebuild of the public site"
    assert f"publik build {site}" in " ".join(build.args)
    limits = Path(f"/proc/{build.pid}/limits").read_text()   # readable until the process is waited for
    assert re.search(r"Max address space\s+unlimited", limits), limits
    assert re.search(r"Max cpu time\s+unlimited", limits), limits
    build.wait(timeout=300)   # let the build finish before the temporary folder goes
