"""Browser uploads are imported in a worker process with memory and time limits."""

from __future__ import annotations

import re
import time
from pathlib import Path

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


def _processes_naming(text: str) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and text in (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode():
                found.append(int(proc.name))
        except OSError:   # a process that ended while we looked
            continue
    return found


def test_the_public_site_rebuild_after_a_browser_import_runs_without_the_workers_limits(tmp_path, db_path,
                                                                                       monkeypatch):
    monkeypatch.setenv("POSYANDU_DB", str(db_path))
    monkeypatch.delenv("POSYANDU_PUBLIC_SITE", raising=False)
    site = db_path.parent / "publik-site"                 # the default: beside the database
    (tmp_path / "publik-site.builds").mkdir()
    site.symlink_to("publik-site.builds")                 # a site was built before: imports rebuild it
    [result] = import_in_worker([export(tmp_path)], db_path)
    assert result.rows_loaded == 3
    builds = _processes_naming(f"publik build {site}")   # started by this process, so it runs while we look
    assert builds, "the import did not start a rebuild of the public site"
    for pid in builds:
        limits = Path(f"/proc/{pid}/limits").read_text()
        assert re.search(r"Max address space\s+unlimited", limits), limits
        assert re.search(r"Max cpu time\s+unlimited", limits), limits
    for pid in builds:   # let the build finish before the temporary folder goes
        for _ in range(1200):
            if not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]:
                break
            time.sleep(0.1)
