"""Files that hold children's data are private to the dashboard's account (issue 17 §4): databases
written in place by imports, their WAL while an import runs, demo exports with names, and the
access store; 0640 with the configured group instead when a backup account must read them."""

from __future__ import annotations

import grp
import os
import stat
import threading
from pathlib import Path

import pytest

from dashboard.access import audit
from dashboard.db import writer
from dashboard.demo.generator import generate
from dashboard.files import private_files


@pytest.fixture(autouse=True)
def permissive_umask():
    """The usual umask of a server account (022): files would be 0644 without the fix."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_database_written_in_place_is_private(tmp_path):
    db = tmp_path / "data" / "posyandu.duckdb"
    seen_during_write: dict[str, int] = {}
    with writer(db) as con:
        con.execute("create table children (nik varchar, birth_date date)")
        con.execute("insert into children values ('3604011234567890', date '2024-01-02')")
        for path in db.parent.iterdir():         # the database, its WAL and lock files while the import runs
            seen_during_write[path.name] = mode(path)
    assert mode(db) == 0o600
    assert seen_during_write and all(m & 0o077 == 0 for name, m in seen_during_write.items()
                                     if not name.endswith(".lock")), seen_during_write
    db.chmod(0o644)                               # a database from before the fix: the next import fixes it
    with writer(db) as con:
        con.execute("insert into children values ('3604019876543210', date '2023-05-06')")
    assert mode(db) == 0o600
    assert os.umask(0o022) == 0o022               # the process's umask is back


def test_demo_exports_with_names_are_private(tmp_path):
    out = tmp_path / "demo"
    generate(out, "tiny", 7)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files and {p.name: mode(p) for p in files if mode(p) != 0o600} == {}
    assert mode(out) & 0o077 == 0


def test_the_access_store_is_private(tmp_path, monkeypatch):
    store = tmp_path / "store" / "access.sqlite"
    monkeypatch.setenv("POSYANDU_ACCESS_DB", str(store))
    audit.record("siti", "login", "client 10.0.0.1")
    assert mode(store) == 0o600
    assert all(mode(p) & 0o077 == 0 for p in store.parent.iterdir())


def test_a_configured_group_may_read(tmp_path, monkeypatch):
    group = grp.getgrgid(os.getgid()).gr_name
    monkeypatch.setenv("POSYANDU_FILE_GROUP", group)
    db = tmp_path / "posyandu.duckdb"
    with writer(db) as con:
        con.execute("create table t (x int)")
    assert mode(db) == 0o640 and db.stat().st_gid == os.getgid()


def test_overlapping_private_blocks_in_threads_restore_the_umask():
    started, release = threading.Event(), threading.Event()

    def long_block():
        with private_files():
            started.set()
            release.wait(10)

    worker = threading.Thread(target=long_block)
    worker.start()
    started.wait(10)
    with private_files():
        pass
    assert os.umask(0o077) == 0o077               # still private: the other block has not ended
    release.set()
    worker.join()
    assert os.umask(0o022) == 0o022
