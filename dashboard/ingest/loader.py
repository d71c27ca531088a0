"""Import export files into the canonical tables: every row is loaded, rejected with a reason,
or skipped as an exact duplicate, and the three always add up to the rows read.

The import is a pipeline of named stages, each in its own module with one typed hand-off:

    read (readers.RawTable) -> headings (headings.MappedTable) -> parse (parse.ParsedChunk)
    -> validate (ParsedChunk) -> resolve (resolve.ResolvedChunk) -> load (load.LoadedChunk)

This module only orchestrates them and keeps the accounting. Parse, validate, resolve and load
work on one chunk of rows at a time (``readers.CHUNK_ROWS``; a plain CSV is streamed from disk),
and the good rows wait in a DuckDB staging table until the file is read, so an import's memory
does not grow with the file while duplicates are still found across the whole of it.

An import has two steps. Reading (``read_file``) happens before the write, while the dashboard keeps
reading the database: each file is read chunk by chunk into a private temporary folder, so a slow or
hostile file costs the readers nothing. The write (``load_file`` for every file, then ``after_load``)
is one transaction on the live database (``dashboard.db.writer``), derived tables included: a crash
leaves the state before it. A file that cannot be read leaves no trace; a file that fails while loading
makes the write roll back, and the write is done again without that file (DuckDB has no savepoints to
roll back one file inside a transaction).
"""

from __future__ import annotations

import logging
import pickle
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.config import settings
from dashboard.db import Discard, scalar, writer
from dashboard.files import private_files
from dashboard.ingest.headings import MappedTable, map_headings
from dashboard.ingest.load import add_new_columns, finish_stage, load_chunk, reject_conflicts, start_stage
from dashboard.ingest.parse import parse_chunk
from dashboard.ingest.privacy import shown_heading
from dashboard.ingest.readers import Chunk, RawTable, UnreadableFile, read_export
from dashboard.ingest.resolve import RegionIndex, resolve_chunk
from dashboard.ingest.validate import validate_chunk
from dashboard.regions import load_regions

log = logging.getLogger(__name__)


@dataclass
class RejectCount:
    column: str
    reason_en: str
    reason_id: str
    count: int
    first_rows: list[int]


@dataclass
class ImportResult:
    file_name: str
    dataset: str | None = None
    sheet: str | None = None
    batch_id: int | None = None
    heading_row: int | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_updated: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    columns_ignored: list[str] = field(default_factory=list)
    reject_summary: list[RejectCount] = field(default_factory=list)
    already_imported_batch: int | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def adds_up(self) -> bool:
        return self.rows_read == self.rows_loaded + self.rows_rejected + self.rows_duplicate

    @property
    def mostly_rejected(self) -> bool:
        """More than the warning share of its rows rejected: a result to look at, not "OK"."""
        return self.rows_read > 0 and self.rows_rejected > settings().reject_warning_share * self.rows_read

    @property
    def status(self) -> str:
        """failed, unchanged, warning or ok."""
        if self.error:
            return "failed"
        if self.already_imported_batch:
            return "unchanged"
        return "warning" if self.mostly_rejected or self.warnings else "ok"


class _RejectTally:
    """Reject counts per (column, reason), most first, with the first rows of each, summed
    chunk by chunk so that the summary does not hold every reject of a large file."""

    def __init__(self):
        self.groups: dict[tuple[str, str, str], tuple[int, list[int]]] = {}

    def add(self, rejects: pd.DataFrame) -> None:
        for group, rows in rejects.groupby(["column_name", "reason_en", "reason_id"], sort=False).source_row:
            count, first = self.groups.get(group, (0, []))
            self.groups[group] = (count + len(rows), sorted(first + rows.nsmallest(5).tolist())[:5])

    def summary(self) -> list[RejectCount]:
        found = [RejectCount(*group, count, first) for group, (count, first) in self.groups.items()]
        return sorted(found, key=lambda r: (-r.count, r.first_rows[:1], r.column))  # not by chunk order


def _load_table(con: duckdb.DuckDBPyConnection, mapped: MappedTable, index: RegionIndex,
                result: ImportResult) -> None:
    """Every chunk through parse, validate, resolve and load; then the file's duplicates, conflicts
    and upsert at once (``load.finish_stage``). Memory holds one chunk; the staged rows are DuckDB's."""
    started = datetime.now()
    batch_id = int(scalar(con, "select coalesce(max(batch_id), 0) + 1 from import_batches"))
    target, tally = mapped.dataset.name, _RejectTally()
    start_stage(con, target)
    for chunk in mapped.table.chunks():
        resolved = resolve_chunk(con, index, validate_chunk(parse_chunk(mapped, chunk)))
        part = load_chunk(con, resolved, batch_id)
        result.rows_read += part.rows_read
        result.rows_rejected += part.rows_rejected
        result.rows_duplicate += part.rows_duplicate
        tally.add(part.rejects)
    staged = finish_stage(con, target, mapped.dataset.natural_key)
    if staged.conflicts:  # read again only the chunks holding them: their raw cells go to the rejects
        for chunk in mapped.table.chunks():
            if chunk.source_rows.isin(staged.conflicts).any():
                tally.add(reject_conflicts(con, mapped, chunk, staged.conflicts, batch_id))
    result.rows_loaded, result.rows_updated = staged.rows_loaded, staged.rows_updated
    result.rows_duplicate += staged.rows_duplicate
    result.rows_rejected += len(staged.conflicts)
    result.reject_summary = tally.summary()
    result.columns_ignored = mapped.ignored
    result.batch_id = batch_id
    table = mapped.table
    add_new_columns(con, "import_batches")
    con.execute(
        "insert into import_batches by name select $batch_id as batch_id, $file as file_name, $sha as sha256, "
        "$dataset as dataset, $sheet as sheet, $heading as heading_row, $read as rows_read, $loaded as rows_loaded, "
        "$updated as rows_updated, $rejected as rows_rejected, $dup as rows_duplicate, $ignored as columns_ignored, "
        "$started as started_at, $finished as finished_at, $headings::varchar[] as headings",
        {"batch_id": batch_id, "file": table.file_name, "sha": table.sha256, "dataset": mapped.dataset.name,
         "sheet": table.sheet, "heading": table.heading_row, "read": result.rows_read, "loaded": result.rows_loaded,
         "updated": result.rows_updated, "rejected": result.rows_rejected, "dup": result.rows_duplicate,
         "ignored": "; ".join(mapped.ignored) or None, "started": started, "finished": datetime.now(),
         "headings": [shown_heading(h, known=True) if h else "" for h in table.headings]},
    )


class LoadFailed(Exception):
    """A file failed while its rows were written: the write's transaction must be rolled back."""

    def __init__(self, result: ImportResult):
        super().__init__(result.error)
        self.result = result


def read_file(path: Path, folder: Path, kind: str | None = None,
              sheet: str | None = None) -> tuple[ImportResult, MappedTable | None]:
    """Before the write: read one file (the slow and untrusted part) and keep its chunks in ``folder``,
    so that the write reads them back instead of the file. A file that cannot be read is reported in
    the result, with no table."""
    result = ImportResult(file_name=path.name)
    try:
        if path.stat().st_size > settings().max_import_bytes:
            raise UnreadableFile(f"file larger than {settings().max_import_bytes // (1024 * 1024)} MB")
        mapped = map_headings(read_export(path, sheet, settings().heading_scan_rows), kind)
        mapped = replace(mapped, table=_read_ahead(mapped.table, folder))
    except UnreadableFile as exc:
        result.error = str(exc)
        return result, None
    except OSError as exc:
        result.error = DISK_FULL if is_disk_full(exc) else f"cannot open file: {exc.strerror}"
        return result, None
    except Exception:  # a reader's own failure on a hostile file: this file only, never the run
        log.exception("reading an import file failed")
        result.error = "file cannot be read (unexpected content; see the log) / file tidak dapat dibaca"
        return result, None
    table = mapped.table
    result.warnings = list(table.warnings)
    result.dataset, result.sheet, result.heading_row = mapped.dataset.name, table.sheet, table.heading_row
    return result, mapped


def _read_ahead(table: RawTable, folder: Path) -> RawTable:
    """The table's chunks read now and kept as files of our own in ``folder`` (private: the import's
    temporary folder); the table returned reads them back, one chunk in memory at a time."""
    folder.mkdir()
    kept: list[Path] = []
    for chunk in table.chunks():
        kept.append(folder / f"{len(kept)}.pickle")
        with open(kept[-1], "wb") as handle:
            pickle.dump(chunk, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def read_back() -> Iterator[Chunk]:
        for path in kept:
            with open(path, "rb") as handle:
                yield pickle.load(handle)

    return replace(table, read_chunks=read_back)


def load_file(con: duckdb.DuckDBPyConnection, result: ImportResult, mapped: MappedTable,
              index: RegionIndex) -> ImportResult:
    """Inside the write: load one file read by ``read_file`` (``result`` is its result from there). A
    failure while loading raises ``LoadFailed`` carrying the file's result."""
    result = replace(result)  # the write may be done again without another file: count afresh
    earlier = scalar(con, "select batch_id from import_batches where sha256 = $sha and dataset = $dataset",
                     {"sha": mapped.table.sha256, "dataset": mapped.dataset.name})
    if earlier:
        result.already_imported_batch = int(earlier)
        return result
    try:
        _load_table(con, mapped, index, result)
    except Exception as exc:
        log.exception("import of a %s file failed; it is left out of the import", mapped.dataset.name)
        result.error = (DISK_FULL if is_disk_full(exc) else
                        "internal error while loading; nothing from this file was written (see the log)")
        result.rows_loaded = result.rows_rejected = result.rows_duplicate = result.rows_updated = 0
        raise LoadFailed(result) from exc
    return result


DISK_FULL = ("the disk is full: nothing was imported and the database is unchanged; free some space and "
             "import again / disk penuh: tidak ada yang diimpor, basis data tidak berubah")


def is_disk_full(exc: BaseException) -> bool:
    """DuckDB reports a full disk as an IO or transaction error naming it; the OS as ENOSPC."""
    import errno

    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    return isinstance(exc, duckdb.Error) and ("No space left" in str(exc) or "disk is full" in str(exc).lower())


def import_files(paths: list[Path], db_path: Path | None = None, kind: str | None = None,
                 sheet: str | None = None, after_load=None, progress=None) -> list[ImportResult]:
    """Import files into the database at ``db_path`` in one transaction; returns one result per file.

    Every file is read first (``read_file``), with readers of the database still reading; then one
    write loads them all. ``after_load(con)`` runs inside the same write when at least one file loaded
    rows (used to recompute derived tables such as z-scores and marts); ``progress(number, total,
    file_name)`` is called before each file is read.
    """
    with private_files():
        folder = Path(tempfile.mkdtemp(prefix="import-", dir=_temp_dir()))
    try:
        read = []
        for number, path in enumerate(paths, start=1):
            if progress is not None:
                progress(number, len(paths), Path(path).name)
            read.append(read_file(Path(path), folder / str(number), kind, sheet))
        failed: dict[int, ImportResult] = {}  # files that failed while loading: left out when the write is done again
        while True:
            try:
                return _write(read, db_path, after_load, failed)
            except LoadFailed:
                continue  # the write was rolled back; ``failed`` now holds one more file
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _temp_dir() -> Path:
    folder = settings().duckdb_temp_dir
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(read: list[tuple[ImportResult, MappedTable | None]], db_path: Path | None, after_load,
           failed: dict[int, ImportResult]) -> list[ImportResult]:
    """One write of every file read but not in ``failed``; raises ``LoadFailed`` (after recording the
    file in ``failed``) when a file fails while loading, which rolls the whole write back."""
    results: list[ImportResult] = []
    try:
        with writer(db_path) as con:
            load_regions(con)
            index = RegionIndex(con)
            for number, (result, mapped) in enumerate(read, start=1):
                if mapped is None or number in failed:
                    results.append(failed.get(number, result))
                    continue
                try:
                    results.append(load_file(con, result, mapped, index))
                except LoadFailed as exc:
                    failed[number] = exc.result
                    raise
            if not any(r.batch_id for r in results):
                raise Discard()
            if after_load is not None:
                after_load(con)
    except (duckdb.Error, OSError) as exc:  # the write as a whole failed (full disk): the live file is unchanged
        if not is_disk_full(exc):
            raise
        log.exception("the import's write failed; the live database is unchanged")
        results = [ImportResult(file_name=r.file_name, dataset=r.dataset, error=r.error or DISK_FULL)
                   for r, _ in read]
    return results


def import_and_refresh(paths: list[Path], db_path: Path | None = None, kind: str | None = None,
                       sheet: str | None = None, progress=None) -> list[ImportResult]:
    """Import files and bring the derived tables (z-scores, marts) up to date in the same write, for
    the slices the files touched (``load.TOUCHED``): what the command line and the admin import page
    both run."""
    from dashboard.build import refresh
    from dashboard.ingest.load import TOUCHED

    return import_files(paths, db_path or settings().db_path, kind=kind, sheet=sheet,
                        after_load=lambda con: refresh(con, touched=TOUCHED), progress=progress)
