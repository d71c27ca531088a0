"""The file-growth benchmark: the demo imported as a province office would (everything but the last six
months, then one month at a time, each with z-scores and marts, as ``import_and_refresh`` runs them)
against a fresh build of the same files in one import. Imports write in place and compact when free blocks pass
``settings().compact_free_share`` (``dashboard.db``); the goal is within 1.2x of the fresh build.
"""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import datetime
from pathlib import Path

import duckdb

from dashboard.bench.common import Context, Row
from dashboard.config import settings

MONTHS = 6
DATE_HEADINGS = ("Tanggal Pengukuran", "TGL UKUR")  # the demo's two measurement layouts
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def _split_by_month(export: Path, out: Path) -> tuple[Path, dict[str, Path]]:
    """A measurement export as the rows before the last ``MONTHS`` months (with every row whose date
    does not read: the demo's planted defects) and one file per later month, each with the same title
    lines and heading, in the file's own encoding and delimiter."""
    raw = export.read_bytes()
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        encoding = "cp1252"
        text = raw.decode(encoding)
    delimiter = ";" if text.count(";") > text.count(",") else ","
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    at = next(i for i, line in enumerate(lines) if set(DATE_HEADINGS) & set(line))
    title, heading, body = lines[:at], lines[at], lines[at + 1:]
    column = heading.index(next(h for h in DATE_HEADINGS if h in heading))

    def month(line: list[str]) -> str | None:
        for form in DATE_FORMATS:
            try:
                return datetime.strptime(line[column], form).strftime("%Y-%m")
            except (ValueError, IndexError):
                continue
        return None

    months = sorted({m for m in map(month, body) if m})[-MONTHS:]
    parts: dict[str | None, list[list[str]]] = {}
    for line in body:
        m = month(line)
        parts.setdefault(m if m in months else None, []).append(line)

    def write(name: str, rows: list[list[str]]) -> Path:
        path = out / name
        with open(path, "w", encoding=encoding, newline="") as handle:
            csv.writer(handle, delimiter=delimiter).writerows(title + [heading] + rows)
        return path

    base = write(export.name, parts.get(None, []))
    return base, {m: write(f"{export.stem}_{m}.csv", parts.get(m, [])) for m in months}


def _size(db: Path) -> tuple[int, float]:
    with duckdb.connect(str(db), read_only=True) as con:
        free, total = con.execute("select free_blocks, total_blocks from pragma_database_size()").fetchone()
    return db.stat().st_size, free / total if total else 0.0


def growth_part(ctx: Context) -> list[Row]:
    from dashboard.db import compact_file
    from dashboard.demo import DEFAULT_SEED, demo_folder
    from dashboard.demo.generator import generate
    from dashboard.ingest.loader import import_and_refresh

    folder = demo_folder(ctx.scale, DEFAULT_SEED)
    if not (folder / "manifest.json").exists():
        generate(folder, ctx.scale, DEFAULT_SEED)
    files = [folder / f["file"] for f in json.loads((folder / "manifest.json").read_text())["files"]]
    work = ctx.workdir / "growth"
    work.mkdir(parents=True, exist_ok=True)
    base, monthly = [], {}
    for path in files:
        if path.name.startswith("pengukuran_") and path.suffix == ".csv":
            kept, months = _split_by_month(path, work)
            base.append(kept)
            for m, part in months.items():
                monthly.setdefault(m, []).append(part)
        else:
            base.append(path)
    step_db, fresh_db = work / "monthly.duckdb", work / "fresh.duckdb"
    for db in (step_db, fresh_db):
        for stale in db.parent.glob(db.name + "*"):
            stale.unlink()
    rows = []
    started = time.perf_counter()
    import_and_refresh(base, step_db)
    size, free = _size(step_db)
    rows.append(Row("growth", "before the monthly imports", f"{size / 2**20:,.1f} MB",
                    f"{free:.0%} free blocks; {time.perf_counter() - started:.0f} s"))
    compactions = 0
    for m in sorted(monthly):
        started, inode = time.perf_counter(), step_db.stat().st_ino
        import_and_refresh(monthly[m], step_db)
        size, free = _size(step_db)
        compacted = step_db.stat().st_ino != inode  # compaction swaps in a new file
        compactions += compacted
        rows.append(Row("growth", f"after importing {m}", f"{size / 2**20:,.1f} MB",
                        f"{free:.0%} free blocks; {time.perf_counter() - started:.0f} s"
                        + ("; compacted" if compacted else "")))
    started = time.perf_counter()
    import_and_refresh(base + [p for m in sorted(monthly) for p in monthly[m]], fresh_db)
    fresh, free = _size(fresh_db)
    rows.append(Row("growth", "a fresh build of the same files", f"{fresh / 2**20:,.1f} MB",
                    f"{free:.0%} free blocks; {time.perf_counter() - started:.0f} s"))
    started = time.perf_counter()
    compact_file(fresh_db)
    rows.append(Row("growth", "compacting the fresh build (COPY FROM DATABASE, fsync, swap)",
                    f"{time.perf_counter() - started:.1f} s", f"{fresh_db.stat().st_size / 2**20:,.1f} MB after"))
    rows.append(Row("growth", f"after {len(monthly)} monthly imports / fresh build", f"{size / fresh:.2f}x",
                    f"goal: at most 1.2x; compacted {compactions} times; compaction above "
                    f"{settings().compact_free_share:.0%} free blocks"))
    return rows
