"""DuckDB access: the SQL file loader, the shared reader, and the one writer path.

How the dashboard and an import share the database
--------------------------------------------------
DuckDB lets many processes open a file read-only, or one process open it read-write, never both.
So a write happens in place, in one DuckDB transaction, after a readers-writer handoff on two lock
files beside the database:

- ``<db>.lock``: a writer holds it exclusively from the moment it wants the file until it is done
  (one writer at a time); a reader that is about to open the file takes it shared for a moment, so
  it waits while a writer is announced, and ``write_pending()`` sees an announced writer.
- ``<db>.gate``: every reader holds it shared while its connection is open; the writer takes it
  exclusively, which waits until the readers have closed their connections.

Readers go through one process-wide ``Reader`` per file (``reader()``, ``reading()``): threads share
its connection; when a writer is announced, new readers wait, and the connection is closed as soon as
its last user is done (checked at each release and by a small watcher thread for an idle process).
The writer (``writer()``) commits or rolls back the whole transaction; a killed writer leaves the
last committed state (DuckDB replays only committed transactions from its WAL). After the commit it
checkpoints and, when the file's free blocks exceed ``settings().compact_free_share``, compacts it:
``COPY FROM DATABASE`` into ``<db>.compact``, swapped in with ``os.replace`` under the same handoff,
so the file does not grow without bound. Then it bumps the generation number in ``<db>.generation``,
part of ``fingerprint()`` and so of every cache key.
"""

from __future__ import annotations

import atexit
import fcntl
import logging
import os
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterator

import duckdb

from dashboard.config import settings
from dashboard.files import private, private_files

log = logging.getLogger(__name__)
_HEADER_RE = re.compile(r"^--\s*(purpose|grain|params|key|values):\s*(.*)$")


@dataclass(frozen=True)
class SqlFile:
    """One SQL statement read from ``queries/`` with its machine-readable header."""

    path: Path
    sql: str
    purpose: str
    grain: str
    params: tuple[str, ...]
    key: tuple[str, ...]
    values: tuple[tuple[str, str], ...] = ()   # (column, catalogue path): ``-- values: status in labels.status``

    @property
    def name(self) -> str:
        return self.path.stem

    def used_params(self) -> set[str]:
        """``$name`` parameters the statement binds (string literals and comments excluded)."""
        body = re.sub(r"--[^\n]*", "", self.sql)  # comments first: they may hold an apostrophe (N/D')
        body = re.sub(r"'(?:[^']|'')*'", "''", body)
        return set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", body))


def _split_list(text: str) -> tuple[str, ...]:
    text = text.strip()
    if not text or text.lower() == "none":
        return ()
    return tuple(part.strip().lstrip("$") for part in text.split(",") if part.strip())


def load_sql(relative: str) -> SqlFile:
    """Read ``queries/<relative>.sql``; refuse files holding more than one statement."""
    path = settings().queries_dir / f"{relative}.sql"
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER_RE.match(line.strip())
        if match:
            header[match.group(1)] = match.group(2)
    statements = duckdb.extract_statements(text)
    if len(statements) != 1:
        raise ValueError(f"{path}: expected exactly one SQL statement, found {len(statements)}")
    return SqlFile(
        path=path,
        sql=text,
        purpose=header.get("purpose", ""),
        grain=header.get("grain", ""),
        params=_split_list(header.get("params", "")),
        key=_split_list(header.get("key", "")),
        values=tuple(tuple(part.split(" in ")) for part in _split_list(header.get("values", ""))),
    )


def sql_files(folder: str) -> list[SqlFile]:
    """All statements of ``queries/<folder>/`` in file-name order."""
    base = settings().queries_dir / folder
    return [load_sql(f"{folder}/{p.stem}") for p in sorted(base.glob("*.sql"))]


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every canonical table that does not exist yet."""
    for table in sql_files("schema"):
        con.execute(table.sql)


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def generation(db_path: Path | None = None) -> int:
    """How many writes have been committed to the database file (0 before the first)."""
    try:
        return int(_beside(db_path or settings().db_path, ".generation").read_text(encoding="ascii"))
    except (FileNotFoundError, ValueError):
        return 0


def fingerprint(db_path: Path | None = None) -> str:
    """Changes with every committed write; part of every cache key. The generation number is the
    writer's; the file's identity, size and time also change if a writer was stopped between its
    commit and the bump."""
    path = db_path or settings().db_path
    try:
        st = path.stat()
    except FileNotFoundError:
        return "missing"
    return f"{generation(path)}-{st.st_ino}-{st.st_size}-{st.st_mtime_ns}"


def duckdb_config() -> dict[str, object]:
    """DuckDB's memory limit, spill folder and ordering from the settings, for every connection we open."""
    config = settings()
    config.duckdb_temp_dir.mkdir(parents=True, exist_ok=True)
    options: dict[str, object] = {"memory_limit": config.duckdb_memory_limit,
                                  "temp_directory": str(config.duckdb_temp_dir),
                                  "preserve_insertion_order": False}
    if config.duckdb_threads > 0:
        options["threads"] = config.duckdb_threads
    return options


def connect_readonly(db_path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the live database file as it is now (FileNotFoundError if none yet).

    ``duckdb.connect(path)`` reuses a process-wide instance per path, which would keep serving the
    file that a writer has since replaced; attaching from a fresh in-memory instance opens the
    current file.
    """
    path = db_path or settings().db_path
    if not path.exists():
        raise FileNotFoundError(f"database {path} does not exist yet")
    con = duckdb.connect(":memory:", config=duckdb_config())
    con.execute(f"attach '{_quoted(path)}' as live (read_only)")
    con.execute("use live")
    return con


def read_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a ``connect_readonly`` connection for one thread, pointed at the live file."""
    cursor = con.cursor()
    cursor.execute("use live")
    return cursor


def _lock_file(path: Path, suffix: str) -> IO:
    with private_files():
        return open(_beside(path, suffix), "a+")


def write_pending(db_path: Path | None = None) -> bool:
    """True while a writer waits for the database or writes it (it holds ``<db>.lock``)."""
    path = db_path or settings().db_path
    if not _beside(path, ".lock").exists():
        return False
    with _lock_file(path, ".lock") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False


def wait_for_writer(db_path: Path | None = None) -> None:
    """Return when no writer holds the database (at once when none does)."""
    with _lock_file(db_path or settings().db_path, ".lock") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)


def _enter_gate(path: Path) -> IO:
    """The gate held shared (returned open; closing it lets a writer in), once no writer is announced."""
    with _lock_file(path, ".lock") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)  # waits while a writer holds it; held shared, no writer can start
        gate = _lock_file(path, ".gate")
        fcntl.flock(gate, fcntl.LOCK_SH)
    return gate


WATCH_SECONDS = 0.2  # how often an idle process checks for a waiting writer


class Reader:
    """The process's read-only connection to one database file, shared by its threads (a cursor each).

    The connection is opened on first use and closed when a writer is announced and the last user is
    done; the next use waits until the write has ended and opens the new state.
    """

    def __init__(self, path: Path):
        self.path = path
        self._cond = threading.Condition()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._gate: IO | None = None
        self._users = 0
        self._opened = 0  # connections opened so far: tells the watcher which one it watches
        self._held = threading.local()  # cursors this thread holds: a nested use never waits for itself

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current committed state; never on a state a writer is changing."""
        with self._cond:
            if self._con is not None and not self.held_here and write_pending(self.path):
                self._cond.wait_for(lambda: self._users == 0)  # let the writer in before joining
                self._close()
            if self._con is None:
                self._open()
            cursor = read_cursor(self._con)
            self._users += 1
        self._held.count = getattr(self._held, "count", 0) + 1
        try:
            yield cursor
        finally:
            self._held.count -= 1
            cursor.close()
            with self._cond:
                self._users -= 1
                if self._users == 0:
                    self._cond.notify_all()
                    if write_pending(self.path):
                        self._close()

    @property
    def held_here(self) -> bool:
        """Whether this thread holds a cursor now (it must not wait for a writer: the writer waits for it)."""
        return getattr(self._held, "count", 0) > 0

    def close(self) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._users == 0)
            self._close()

    def close_if_idle(self) -> bool:
        with self._cond:
            if self._users:
                return False
            self._close()
            return True

    def _open(self) -> None:
        gate = _enter_gate(self.path)
        try:
            self._con = connect_readonly(self.path)
        except BaseException:
            gate.close()
            raise
        self._gate = gate
        self._opened += 1
        threading.Thread(target=self._watch, args=(self._opened,), daemon=True, name="db-reader-watch").start()

    def _close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
        if self._gate is not None:
            self._gate.close()  # releases the shared gate
            self._gate = None

    def _watch(self, opened: int) -> None:
        """Close the idle connection when a writer waits; ends with the connection it watches (the
        ``opened``-th; a number, not the connection, so that it never keeps one alive)."""
        stopped = threading.Event()
        while not stopped.wait(WATCH_SECONDS):
            with self._cond:
                if self._con is None or self._opened != opened:
                    return
                if self._users == 0 and write_pending(self.path):
                    self._close()
                    return


_readers: dict[Path, Reader] = {}
_readers_lock = threading.Lock()


@atexit.register
def _close_readers() -> None:
    """Close the idle connections when the process ends (DuckDB reports connections left open)."""
    with _readers_lock:
        for shared in _readers.values():
            with shared._cond:
                shared._close()


MAX_READERS = 4  # database files a process keeps a connection to (one in the app; tests go through many)


def reader(db_path: Path | None = None) -> Reader:
    """The process-wide ``Reader`` of a database file; the idle readers of files used longest ago are
    closed beyond ``MAX_READERS``."""
    path = Path(db_path or settings().db_path).resolve()
    with _readers_lock:
        if path not in _readers:
            for old in list(_readers)[:max(0, len(_readers) + 1 - MAX_READERS)]:
                if _readers[old].close_if_idle():
                    del _readers[old]
            _readers[path] = Reader(path)
        _readers[path] = _readers.pop(path)  # most recently used last
        return _readers[path]


@contextmanager
def reading(db_path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor on the database for one block of reads (FileNotFoundError if there is none yet)."""
    with reader(db_path).cursor() as cursor:
        yield cursor


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Announce a writer, then wait until every reader has closed its connection."""
    with _lock_file(path, ".lock") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with _lock_file(path, ".gate") as gate:
            fcntl.flock(gate, fcntl.LOCK_EX)
            yield


@contextmanager
def writer(db_path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The live database opened for writing inside one transaction, committed only if the block
    succeeds (``Discard`` rolls it back quietly); readers are kept out meanwhile. A thread holding a
    cursor of ``reading()`` on the same file cannot write it (the writer would wait for itself)."""
    path = db_path or settings().db_path
    path.parent.mkdir(parents=True, exist_ok=True)
    if reader(path).held_here:
        raise RuntimeError("writer() called while this thread holds a cursor on the same database")
    with _exclusive(path), private_files():   # the database, its WAL and a compacted copy: 0600
        _beside(path, ".compact").unlink(missing_ok=True)
        _beside(path, ".compact.wal").unlink(missing_ok=True)
        existed = path.exists()
        con = duckdb.connect(str(path), config=duckdb_config())
        try:
            con.begin()
            create_schema(con)
            yield con
            con.commit()
        except BaseException as exc:
            _rollback(con)
            con.close()
            if not existed:  # no database yet: none after a write that did not happen either
                path.unlink(missing_ok=True)
                _beside(path, ".wal").unlink(missing_ok=True)
            if isinstance(exc, Discard):
                return
            raise
        try:  # committed: from here on a failure costs space, never the write (the WAL holds it)
            con.execute("checkpoint")
            free = free_share(con)
        except duckdb.Error:
            log.exception("checkpoint after a committed write failed; the next open replays the WAL")
            free = 0.0
        finally:
            con.close()
        if free > settings().compact_free_share:
            _compact_after_write(path, free)
        private(path)
        _bump_generation(path)


def _compact_after_write(path: Path, free: float) -> None:
    started = time.perf_counter()
    try:
        compact_file(path)
    except (duckdb.Error, OSError):  # e.g. no room for the copy: the live file stays as committed
        log.exception("compacting the database failed; it keeps its free blocks until the next write")
        _beside(path, ".compact").unlink(missing_ok=True)
        _beside(path, ".compact.wal").unlink(missing_ok=True)
        return
    log.info("database compacted (%.0f%% free blocks) in %.1f s", 100 * free, time.perf_counter() - started)


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    try:
        con.rollback()
    except duckdb.Error:  # no transaction left to roll back (it failed at commit)
        pass


class Discard(Exception):
    """Raised inside ``writer()`` to roll the write back without touching the live database."""


def free_share(con: duckdb.DuckDBPyConnection) -> float:
    """Share of the current database file's blocks that are free (after a checkpoint)."""
    free, total = con.execute("select free_blocks, total_blocks from pragma_database_size() "
                              "where database_name = current_database()").fetchone()
    return free / total if total else 0.0


def compact_file(path: Path) -> None:
    """Rewrite the database without its free blocks and swap it in; call under the writer's handoff.
    A crash leaves the live file as it was (a stale ``<db>.compact`` is removed by the next writer)."""
    target = _beside(path, ".compact")
    con = duckdb.connect(":memory:", config=duckdb_config())
    try:
        con.execute(f"attach '{_quoted(path)}' as source (read_only)")
        con.execute(f"attach '{_quoted(target)}' as target")
        con.execute("copy from database source to target")
        con.execute("checkpoint target")
        con.execute("detach target")
    finally:
        con.close()
    with open(target, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(private(target), path)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def _bump_generation(path: Path) -> None:
    """A new generation number, written whole (a reader never sees half a number)."""
    counter, fresh = _beside(path, ".generation"), _beside(path, ".generation.new")
    fresh.write_text(str(generation(path) + 1), encoding="ascii")
    os.replace(fresh, counter)


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    """First column of the first row (or None); reads the result to the end so the
    connection is free again (DuckDB refuses ``register`` while a result is pending)."""
    rows = con.execute(sql, params or {}).fetchall()
    return rows[0][0] if rows else None


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None):
    """Run ``queries/<name>.sql`` with bound parameters; returns a pandas DataFrame.

    Declared and given parameters must match exactly, so a page cannot silently drop a filter.
    """
    sql = load_sql(name)
    given = set(params or {})
    if given != set(sql.params):
        raise ValueError(f"{name}: parameters {sorted(given)} do not match declared {sorted(sql.params)}")
    return con.execute(sql.sql, params or {}).df()
