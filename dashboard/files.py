"""Files that hold children's data (databases with NIKs and birth dates, demo exports with names, the
access store) are private to the account that runs the dashboard: mode 0600, or 0640 with the group
``POSYANDU_FILE_GROUP`` when another account (a backup job) must read them."""

from __future__ import annotations

import grp
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.config import settings

_umask_lock = threading.Lock()
_umask_users = 0
_umask_saved = 0


def file_mode() -> int:
    return 0o640 if settings().file_group else 0o600


def private(path: Path) -> Path:
    """Give an existing file the private mode (and the configured group); returns the path."""
    group = settings().file_group
    if group:
        os.chown(path, -1, grp.getgrnam(group).gr_gid)
    os.chmod(path, file_mode())
    return path


@contextmanager
def private_files() -> Iterator[None]:
    """Every file created inside the block, by this code or a library (DuckDB's database and WAL, CSV
    and Excel writers), is created private. The umask is process-wide: overlapping blocks in several
    threads keep it set until the last one ends, and other threads' files only become more private."""
    global _umask_users, _umask_saved
    with _umask_lock:
        if _umask_users == 0:
            _umask_saved = os.umask(0o027 if settings().file_group else 0o077)
        _umask_users += 1
    try:
        yield
    finally:
        with _umask_lock:
            _umask_users -= 1
            if _umask_users == 0:
                os.umask(_umask_saved)
