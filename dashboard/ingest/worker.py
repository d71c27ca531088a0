"""Imports run in a separate worker process with memory and time limits, so a hostile upload cannot
take the app down: the worker is ``python -m dashboard import --json`` with ``setrlimit`` applied
before it starts; a worker over a limit is ended and, since an import writes in one transaction that
commits only at the end (``dashboard.db.writer``), nothing of its run is imported.
"""

from __future__ import annotations

import json
import logging
import resource
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from dashboard.config import PROJECT_ROOT, settings
from dashboard.ingest.loader import ImportResult, RejectCount

log = logging.getLogger(__name__)

site_build: subprocess.Popen | None = None   # the public site build the last import started, if any

STOPPED = ("the import was stopped: it went over the worker's memory or time limit; nothing was imported "
           "/ impor dihentikan karena melewati batas memori atau waktu; tidak ada yang diimpor")


def _limits(memory_bytes: int, cpu_seconds: float) -> Callable[[], None]:
    def apply() -> None:  # runs in the child between fork and exec
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds) + 5))

    return apply


def import_in_worker(paths: list[Path], db_path: Path | None = None,
                     progress: Callable[[int, int, str], None] | None = None,
                     memory_bytes: int | None = None, timeout_seconds: float | None = None) -> list[ImportResult]:
    """Import and refresh in a child process; one result per file, also when the child is stopped."""
    cfg = settings()
    memory_bytes = memory_bytes or cfg.import_memory_bytes
    timeout_seconds = timeout_seconds or cfg.import_timeout_seconds
    command = [sys.executable, "-m", "dashboard", "import", *map(str, paths), "--db", str(db_path or cfg.db_path),
               "--json"]
    errors = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a chatty child cannot block on it
    child = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=errors, text=True,
                             preexec_fn=_limits(memory_bytes, timeout_seconds))
    timer = threading.Timer(timeout_seconds, child.kill)  # wall-clock limit beside the CPU-time limit
    timer.start()
    results = None
    try:
        for line in child.stdout:
            message = _message(line)
            if "progress" in message and progress is not None:
                step = message["progress"]
                progress(step["number"], step["total"], step["file"])
            elif "results" in message:
                results = [_result(r) for r in message["results"]]
        child.wait()
    finally:
        timer.cancel()
    errors.seek(0)
    if results is None:
        log.error("import worker ended with code %s without results: %s", child.returncode, errors.read()[-2000:])
        return [ImportResult(file_name=Path(p).name, error=STOPPED) for p in paths]
    if any(r.rows_loaded or r.rows_updated for r in results):
        # the static public site follows the import; started from here, not from the worker, so that the
        # build runs without the worker's memory and time limits
        from dashboard.public.site import rebuild_in_background

        global site_build
        site_build = rebuild_in_background(db_path)
    return results


def _message(line: str) -> dict:
    try:
        message = json.loads(line)
    except json.JSONDecodeError:
        return {}
    return message if isinstance(message, dict) else {}


def _result(fields: dict) -> ImportResult:
    fields = {k: v for k, v in fields.items() if k != "status"}
    fields["reject_summary"] = [RejectCount(**r) for r in fields.get("reject_summary", [])]
    return ImportResult(**fields)
