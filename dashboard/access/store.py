"""The access store: what people do (the audit trail) and who is logged in (sessions), kept in a small
SQLite file in WAL mode (``POSYANDU_ACCESS_DB``, default ``data/access.sqlite``), apart from the
analytics database that every import swaps. Mode 0600 like the users file."""

from __future__ import annotations

import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.config import settings
from dashboard.files import private, private_files

SCHEMA = """
create table if not exists audit (
    id integer primary key,
    at text not null,              -- ISO 8601, UTC
    actor text not null,           -- a user name, or the account that ran a command
    action text not null,          -- login, login_failed, logout, user_added, import, download, ...
    detail text not null default ''
);
create index if not exists audit_at on audit (at);
create table if not exists sessions (
    id_hash text primary key,      -- sha256 of the session id the cookie carries (never the id itself)
    user text not null,
    issued_at real not null,       -- seconds since the epoch
    ended_at real,                 -- logout; null while the session lives
    cookie_set integer not null default 0
);
create table if not exists secrets (name text primary key, value text not null);
"""


_open = threading.local()   # one connection per thread and store file, kept open (closing the last one
                            # checkpoints the WAL: milliseconds on every page run)


@contextmanager
def connection(path: Path | None = None) -> Iterator[sqlite3.Connection]:
    """A connection to the store (created private on first use); the block is one transaction."""
    path = path or settings().access_db_path
    opened: dict[Path, sqlite3.Connection] = _open.__dict__.setdefault("by_path", {})
    if path not in opened or not path.exists():
        opened[path] = _connect(path)
    with opened[path] as con:
        yield con


def _connect(path: Path) -> sqlite3.Connection:
    with private_files():
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path, timeout=10)
        con.execute("pragma journal_mode=wal")
        con.executescript(SCHEMA)
    private(path)
    return con


def signing_key(path: Path | None = None) -> str:
    """The key that signs session cookies: ``POSYANDU_SECRET_KEY``, else one made once and kept in the
    store (a new store ends every session)."""
    if configured := settings().secret_key:
        return configured
    with connection(path) as con:
        con.execute("insert or ignore into secrets values ('session', ?)", (secrets.token_urlsafe(32),))
        return con.execute("select value from secrets where name = 'session'").fetchone()[0]
