"""DuckDB access: the SQL file loader, read-only connections, and the one writer path.

How the running dashboard and an import share the database
---------------------------------------------------------
The live database file is only ever opened read-only by the app. A writer (an import, the demo
build, a rebuild of marts) takes an exclusive lock file, copies the live file to
``<db>.next``, writes there, checkpoints, closes, and renames it over the live file with
``os.replace`` (atomic on POSIX). Readers that already hold the old file keep reading a
consistent old snapshot; the app notices the new file by its fingerprint (inode, size, mtime)
and reopens. A crash at any point leaves the live file untouched; a stale ``.next`` is
discarded by the next writer.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import duckdb

from dashboard.config import settings
from dashboard.files import private, private_files

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


def fingerprint(db_path: Path | None = None) -> str:
    """Changes whenever a writer swaps in a new database file; part of every cache key."""
    path = db_path or settings().db_path
    try:
        st = path.stat()
    except FileNotFoundError:
        return "missing"
    return f"{st.st_ino}-{st.st_size}-{st.st_mtime_ns}"


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
    quoted = str(path).replace("'", "''")
    con.execute(f"attach '{quoted}' as live (read_only)")
    con.execute("use live")
    return con


def read_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a ``connect_readonly`` connection for one thread, pointed at the live file."""
    cursor = con.cursor()
    cursor.execute("use live")
    return cursor


@contextmanager
def writer(db_path: Path | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open a private copy of the database for writing; swap it in only if the block succeeds."""
    path = db_path or settings().db_path
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    next_path = path.with_name(path.name + ".next")
    with open(lock_path, "w") as lock, private_files():   # the copy, its WAL and the swapped-in file: 0600
        fcntl.flock(lock, fcntl.LOCK_EX)
        for stale in (next_path, next_path.with_name(next_path.name + ".wal")):
            stale.unlink(missing_ok=True)
        if path.exists():
            shutil.copyfile(path, next_path)
        con = duckdb.connect(str(next_path), config=duckdb_config())
        try:
            create_schema(con)
            yield con
            con.execute("checkpoint")
        except BaseException as exc:
            con.close()
            next_path.unlink(missing_ok=True)
            if isinstance(exc, Discard):
                return
            raise
        con.close()
        os.replace(private(next_path), path)


class Discard(Exception):
    """Raised inside ``writer()`` to drop the private copy without touching the live file."""


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
