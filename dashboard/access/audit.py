"""The audit trail an admin reads: who did what, when (logins and failures, imports, user changes,
downloads of internal tables, meeting decisions changed). Append-only in the access store, apart
from the analytics database. Never a child's personal data: callers write what was done to which
file, area or user; digit runs as long as a NIK are masked before anything is stored.

    from dashboard.access import audit
    audit.record("siti", "decision_changed", "rapat 36.04 2025-Q3: keputusan 12 -> selesai")
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dashboard.access.store import connection

log = logging.getLogger(__name__)

_LONG_NUMBER = re.compile(r"\d{12,}")        # a NIK (16 digits), a family card number, a phone number
MAX_DETAIL_CHARS = 500
# The actor of a failed login whose name is no user (it may be a password typed into the wrong box):
# stored as this mark, shown in the reader's language.
UNKNOWN_ACTOR = "?"
# The actions written so far (each has a phrase ``audit_<action>`` in dashboard/i18n.py); others are shown as written.
ACTIONS = ("login", "login_failed", "login_locked", "logout", "user_added", "user_changed", "user_removed", "import",
           "download", "decision_changed")


@dataclass(frozen=True)
class Entry:
    at: str
    actor: str
    action: str
    detail: str


def record(actor: str | None, action: str, detail: str = "", path: Path | None = None) -> None:
    """Append one entry. A failure to write is logged, never raised: the action itself already happened."""
    detail = _LONG_NUMBER.sub("[angka disamarkan]", str(detail))[:MAX_DETAIL_CHARS]
    try:
        with connection(path) as con:
            con.execute("insert into audit (at, actor, action, detail) values (?, ?, ?, ?)",
                        (datetime.now(UTC).isoformat(timespec="seconds"), actor or "-", action, detail))
    except Exception:  # noqa: BLE001 - the trail must not break a login or an import
        log.exception("audit entry '%s' by %s could not be written", action, actor)


def record_imports(actor: str | None, results) -> None:
    """One entry per imported file (``ingest.loader.ImportResult``): its name and row accounting, or why it failed."""
    for r in results:
        outcome = (f"failed: {r.error}" if r.error else f"unchanged (batch {r.already_imported_batch})"
                   if r.already_imported_batch else f"batch {r.batch_id}: read {r.rows_read}, loaded {r.rows_loaded}, "
                   f"rejected {r.rows_rejected}, duplicates {r.rows_duplicate}")
        record(actor, "import", f"{r.file_name}: {outcome}")


def entries(limit: int = 500, actor: str | None = None, action: str | None = None,
            path: Path | None = None) -> list[Entry]:
    """The newest entries first, optionally of one actor or action."""
    sql = "select at, actor, action, detail from audit where ($actor is null or actor = $actor) " \
          "and ($action is null or action = $action) order by id desc limit $limit"
    with connection(path) as con:
        rows = con.execute(sql, {"actor": actor, "action": action, "limit": limit}).fetchall()
    return [Entry(*row) for row in rows]
