"""The dashboard and an import share one database file: readers in other processes see the state
before an import or after it, never half of it; a writer waits for a reader's open connection; a
killed writer leaves the previous state; compaction keeps the data and gives back free blocks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from dashboard.config import PROJECT_ROOT
from dashboard.db import fingerprint, generation, reader, reading, write_pending, writer
from dashboard.ingest.loader import import_files
from tests.conftest import query, write_csv

HEAD = ["NIK", "JK", "Tgl Lahir", "Tgl Timbang", "BB", "TB", "Kode Desa"]

# A reader in its own process: holds a cursor and reports what it sees, on command.
READER = """
import sys
from dashboard.db import reading

def state(cursor):
    n = cursor.execute("select count(*) from measurements").fetchone()[0]
    derived = cursor.execute("select coalesce(max(n), 0) from derived_count").fetchone()[0]
    print(n, derived, flush=True)

with reading(sys.argv[1]) as cursor:
    state(cursor)
    for line in sys.stdin:
        if line.strip() == "release":
            break
        state(cursor)
with reading(sys.argv[1]) as cursor:   # waits while a writer holds the file
    state(cursor)
"""

# A writer in its own process that stops inside its transaction, after loading, until it is killed.
KILLED_WRITER = """
import sys
from pathlib import Path
from dashboard.ingest.loader import import_files

def stuck(con):
    con.execute("create or replace table derived_count as select count(*) as n from measurements")
    print("applying", flush=True)
    sys.stdin.readline()

import_files([Path(sys.argv[2])], Path(sys.argv[1]), after_load=stuck)
"""


def rows(count: int) -> list[list]:
    return [HEAD] + [[f"36041501012{i:05d}", "L", "01/01/2024", "01/08/2025", "9,5", "75", "3604152001"]
                     for i in range(1, count + 1)]


def count_derived(con: duckdb.DuckDBPyConnection) -> None:
    """A derived table written in the same transaction as the rows it counts."""
    con.execute("create or replace table derived_count as select count(*) as n from measurements")


def start(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=PROJECT_ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def until(condition, what: str, limit: float = 60) -> None:
    """Wait for a condition another process or thread makes true (polled), failing after ``limit`` s."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_a_reader_in_another_process_sees_the_old_state_then_the_new_never_half(tmp_path, db_path):
    import_files([write_csv(tmp_path / "a.csv", rows(1))], db_path, after_load=count_derived)
    other = start(READER, str(db_path))
    assert other.stdout.readline().split() == ["1", "1"]
    done = threading.Event()
    thread = threading.Thread(target=lambda: (import_files([write_csv(tmp_path / "b.csv", rows(3))], db_path,
                                                            after_load=count_derived), done.set()))
    thread.start()
    until(lambda: write_pending(db_path), "the writer to announce itself")
    other.stdin.write("query\n")
    other.stdin.flush()
    assert other.stdout.readline().split() == ["1", "1"]  # the writer waits for the open connection
    assert not done.is_set()
    other.stdin.write("release\n")
    other.stdin.flush()
    assert other.stdout.readline().split() == ["3", "3"]  # after the whole import, derived table included
    thread.join(timeout=60)
    assert done.is_set() and other.wait(timeout=60) == 0
    assert not write_pending(db_path)


def test_a_killed_writer_leaves_the_previous_state(tmp_path, db_path):
    import_files([write_csv(tmp_path / "a.csv", rows(2))], db_path, after_load=count_derived)
    before = (query(db_path, "select * from measurements order by all"),
              query(db_path, "select * from import_batches order by all"), generation(db_path))
    killed = start(KILLED_WRITER, str(db_path), str(write_csv(tmp_path / "big.csv", rows(5000))))
    assert killed.stdout.readline().strip() == "applying"
    assert write_pending(db_path)
    os.kill(killed.pid, signal.SIGKILL)
    killed.wait(timeout=60)
    assert not write_pending(db_path)  # the kernel released its locks
    with reading(db_path) as cursor:
        assert cursor.execute("select count(*), max(n) from measurements, derived_count").fetchall() == [(2, 2)]
    after = (query(db_path, "select * from measurements order by all"),
             query(db_path, "select * from import_batches order by all"), generation(db_path))
    assert after == before
    [result] = import_files([write_csv(tmp_path / "c.csv", rows(4))], db_path, after_load=count_derived)
    assert (result.error, result.rows_loaded) == (None, 4)
    assert query(db_path, "select count(*) from measurements") == [(4,)]


def _churn(db: Path) -> None:
    """Writes that leave free blocks inside the file (DuckDB itself truncates free blocks at its end):
    two tables of incompressible text, then the first replaced whole, as an import rebuilds a mart."""
    for table in ("first", "second", "first"):
        with writer(db) as con:
            con.execute(f"create or replace table {table} as select i, md5(i::varchar) || md5((i + 1)::varchar) "
                        "as t from range(300000) r(i)")


def _contents(db: Path) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        macros = [r[0] for r in con.execute("select function_name from duckdb_functions() "
                                            "where not internal and function_type like '%macro%' order by 1").fetchall()]
        return {"macros": macros,
                **{t: con.execute(f"select * from {t} order by all").fetchall() for t in tables}}


def test_compaction_keeps_the_data_and_gives_back_free_blocks(tmp_path, db_path, monkeypatch):
    import_files([write_csv(tmp_path / "a.csv", rows(3))], db_path)
    with writer(db_path) as con:
        con.execute("create macro measured_children() as table select distinct child_id from measurements")
    monkeypatch.setenv("POSYANDU_COMPACT_FREE_SHARE", "1")  # never: let the file gather free blocks
    _churn(db_path)
    grown, contents = db_path.stat().st_size, _contents(db_path)
    with duckdb.connect(str(db_path), read_only=True) as con:
        free, total = con.execute("select free_blocks, total_blocks from pragma_database_size()").fetchone()
    assert free / total > 0.2
    before = fingerprint(db_path)
    monkeypatch.setenv("POSYANDU_COMPACT_FREE_SHARE", "0.2")
    with writer(db_path):
        pass  # a write that changes nothing still checks the free share
    assert db_path.stat().st_size < 0.8 * grown
    assert _contents(db_path) == contents
    assert fingerprint(db_path) != before
    assert not list(tmp_path.glob("*.compact*"))
    with duckdb.connect(str(db_path), read_only=True) as con:
        assert con.execute("select count(*) from measured_children()").fetchone() == (3,)


@pytest.mark.parametrize("files", [1, 2])
def test_a_write_bumps_the_generation(tmp_path, db_path, files):
    start_generation = generation(db_path)
    import_files([write_csv(tmp_path / f"{n}.csv", rows(n + 1)) for n in range(files)], db_path)
    assert generation(db_path) == start_generation + 1


def test_files_are_read_while_readers_keep_reading(tmp_path, db_path):
    import_files([write_csv(tmp_path / "a.csv", rows(1))], db_path)
    seen = []

    def before_each_file(number, total, name):  # called before each file is read, the first write comes after
        assert not write_pending(db_path)
        with reading(db_path) as cursor:
            seen.append(cursor.execute("select count(*) from measurements").fetchone()[0])

    results = import_files([write_csv(tmp_path / "b.csv", rows(2)), write_csv(tmp_path / "c.csv", rows(3))],
                           db_path, progress=before_each_file)
    assert [r.error for r in results] == [None, None]
    assert seen == [1, 1]  # the second file was read after the first, before either was written
    assert query(db_path, "select count(*) from measurements") == [(3,)]


def test_a_thread_holding_a_cursor_is_not_stopped_by_a_waiting_writer(tmp_path, db_path):
    import_files([write_csv(tmp_path / "a.csv", rows(1))], db_path)
    shared = reader(db_path)
    importer = threading.Thread(target=import_files, args=([write_csv(tmp_path / "b.csv", rows(2))], db_path))
    with shared.cursor() as outer:
        importer.start()
        until(lambda: write_pending(db_path), "the writer to announce itself")
        with shared.cursor() as inner:  # nested in the same thread: joins instead of waiting for the writer
            assert inner.execute("select count(*) from measurements").fetchone() == (1,)
        assert outer.execute("select count(*) from measurements").fetchone() == (1,)
    importer.join(timeout=60)
    assert not importer.is_alive()
    with shared.cursor() as cursor:
        assert cursor.execute("select count(*) from measurements").fetchone() == (2,)


def test_a_first_import_that_loads_nothing_leaves_no_database(tmp_path):
    db = tmp_path / "new.duckdb"
    broken = tmp_path / "rusak.xlsx"
    broken.write_bytes(b"this is not a workbook")
    [result] = import_files([broken], db)
    assert result.error and not db.exists() and fingerprint(db) == "missing"


def test_a_thread_cannot_write_the_file_it_holds_a_cursor_on(tmp_path, db_path):
    import_files([write_csv(tmp_path / "a.csv", rows(1))], db_path)
    with reading(db_path):
        with pytest.raises(RuntimeError, match="holds a cursor"):
            with writer(db_path):
                pass
    with writer(db_path) as con:  # once the cursor is given back
        con.execute("delete from measurements")
    assert query(db_path, "select count(*) from measurements") == [(0,)]
