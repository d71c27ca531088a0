"""Load stage: the good rows of a resolved chunk into their table, the rest into ``rejects``.

Input: a ``ResolvedChunk``. Output: a ``LoadedChunk`` with the row accounting (read = loaded +
rejected + duplicates) and the reject rows written. Good rows wait in a staging table until the
file's last chunk (``start_stage`` / ``load_chunk`` / ``finish_stage``), so duplicates and
conflicting rows are found across the whole file while memory holds one chunk. The columns stored are those of the table in
``queries/schema/<dataset>.sql``; derived columns the growth engine fills stay null here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import duckdb
import numpy as np
import pandas as pd

from dashboard.db import load_sql, scalar
from dashboard.ingest import normalise as nz
from dashboard.ingest.headings import MappedTable
from dashboard.ingest.privacy import shown_values
from dashboard.ingest.problems import Problems
from dashboard.ingest.resolve import ResolvedChunk

EXTRA_CELLS_HEADING = "(sel tambahan / extra cells)"


@dataclass
class LoadedChunk:
    rows_read: int
    rows_loaded: int
    rows_updated: int
    rows_rejected: int
    rows_duplicate: int
    rejects: pd.DataFrame      # as written to the rejects table


@lru_cache(maxsize=None)
def _schema_columns(table: str) -> tuple[tuple[str, str], ...]:
    """(name, type) of each column of a canonical table, from its ``create table`` in ``queries/schema``."""
    con = duckdb.connect()
    con.execute(load_sql(f"schema/{table}").sql)
    return tuple((row[0], row[1]) for row in con.execute(f"describe {table}").fetchall())


def table_columns(table: str) -> tuple[str, ...]:
    return tuple(name for name, _ in _schema_columns(table))


def add_new_columns(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Columns the schema file gained since an older database was made are added to it (null)."""
    present = {row[0] for row in con.execute(f"describe {table}").fetchall()}
    for name, kind in _schema_columns(table):
        if name not in present:  # names and types come from our own schema file, never from an export
            con.execute(f"alter table {table} add column {name} {kind}")


STAGE = "import_stage"  # the good rows of the file being imported, until its last chunk is read


def start_stage(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """An empty table that collects a file's good rows chunk by chunk, inside the import's transaction:
    its row number at first, and each column of ``table`` once a chunk carries it (``_stage_columns``),
    so the columns a file does not fill are not written (measured: half the time of a full-width stage).
    A table of the database rather than a temporary one: DuckDB writes full row groups of a large
    uncommitted insert to the file as they come (a temporary table keeps them in memory), and a
    rollback discards them with the rest of the file."""
    add_new_columns(con, table)
    con.execute(f"create or replace table {STAGE} (stage_row integer)")
    _staged.clear()
    _staged.add("stage_row")


_staged: set[str] = set()  # the columns of the stage being filled (one import writes at a time)


def _stage_columns(con: duckdb.DuckDBPyConnection, table: str, columns) -> None:
    """Columns of ``table`` the stage does not have yet (names and types from our schema file)."""
    for name, kind in _schema_columns(table):
        if name in columns and name not in _staged:
            con.execute(f"alter table {STAGE} add column {name} {kind}")
            _staged.add(name)


def load_chunk(con: duckdb.DuckDBPyConnection, resolved: ResolvedChunk, batch_id: int) -> LoadedChunk:
    """Write a chunk's rejects and stage its good rows; ``finish_stage`` decides the rest for the file.

    Exact duplicates inside the chunk are dropped here; duplicates and conflicting rows across
    chunks are found once the whole file is staged. ``rows_loaded`` counts the rows staged.
    """
    mapped, chunk, problems = resolved.parsed.mapped, resolved.parsed.chunk, resolved.parsed.problems
    dataset = mapped.dataset
    good = resolved.frame[~problems.bad_rows()]
    if dataset.derive is not None:
        good = dataset.derive(good)
    canonical = _canonical_frame(good, dataset.name)
    key = list(dataset.natural_key)
    shared_key = canonical.duplicated(key, keep=False)
    duplicate = pd.Series(False, index=canonical.index)
    if shared_key.any():  # exact copies share their key: only those rows are compared column by column
        duplicate[shared_key] = canonical[shared_key].duplicated(keep="first")
    canonical = canonical[~duplicate]
    rows = canonical.assign(batch_id=batch_id, source_row=chunk.source_rows[canonical.index].to_numpy())
    rows = rows[[c for c in rows.columns if c in table_columns(dataset.name)]].assign(stage_row=rows["source_row"])
    if len(rows):
        _stage_columns(con, dataset.name, rows.columns)
        con.register("stage_rows", _as_arrow(rows))
        con.execute(f"insert into {STAGE} by name select * from stage_rows")
        con.unregister("stage_rows")
        unique = canonical.index[~(canonical.duplicated(key, keep=False) if duplicate.any() else shared_key)]
        for hook in dataset.after_load:  # rows conflicting with another chunk's reach the hooks (see docs/scale.md)
            hook(con, good.loc[unique], batch_id)
    found = problems.frame()
    rejects = write_rejects(con, found, mapped, chunk, batch_id)
    return LoadedChunk(rows_read=len(chunk.cells), rows_loaded=len(rows), rows_updated=0,
                       rows_rejected=int(found.pos.nunique()), rows_duplicate=int(duplicate.sum()), rejects=rejects)


def _as_arrow(rows: pd.DataFrame):
    """The rows as an Arrow table for DuckDB to copy: inserting a pandas frame of Python strings keeps
    those strings alive until the transaction ends (measured: about 17 MB per 200,000 ids), so
    an import's memory would grow with the file again. A column Arrow cannot type stays pandas."""
    import pyarrow as pa

    try:
        return pa.Table.from_pandas(rows, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return rows


def write_rejects(con: duckdb.DuckDBPyConnection, found: pd.DataFrame, mapped: MappedTable, chunk,
                  batch_id: int) -> pd.DataFrame:
    """The problems of a chunk into ``rejects`` (one row per cell) and its rejected rows into ``reject_rows``."""
    rejects = reject_frame(found, mapped, chunk.cells, chunk.source_rows, batch_id)
    if len(rejects):
        con.register("stage_rejects", rejects)
        con.execute("insert into rejects by name select * from stage_rejects")
        con.unregister("stage_rejects")
        _store_rejected_rows(con, chunk, found.pos.unique(), len(mapped.table.headings), batch_id)
    return rejects


@dataclass
class StagedFile:
    rows_loaded: int
    rows_updated: int
    rows_duplicate: int              # exact copies of a row in an earlier chunk
    conflicts: frozenset[int]        # source rows sharing a key with a different row: rejected


def finish_stage(con: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...]) -> StagedFile:
    """Across the whole staged file: drop exact copies (the first is kept), take out rows whose key
    another, different row shares, and upsert the rest into ``table`` in one statement pair.

    Copies and conflicts share a key, so only rows whose key occurs twice are compared column by
    column (usually none): the whole file is only grouped by its key once.
    """
    _stage_columns(con, table, key)  # a file without a good row staged none of its columns
    values = ", ".join(c for c in table_columns(table) if c in _staged and c not in ("batch_id", "source_row"))
    keys, staged_keys = ", ".join(key), ", ".join(f"s.{k}" for k in key)
    # Candidates grouped by a hash of the key (a smaller table to group than the keys themselves); a
    # row that only shares a hash is found alone in its key below and is neither a copy nor a conflict.
    con.execute(f"create or replace temp table stage_shared as select s.* from {STAGE} s semi join "
                f"(select hash({keys}) as h from {STAGE} group by h having count(*) > 1) d on hash({staged_keys}) = d.h")
    copies = con.execute(
        f"select stage_row from (select stage_row, row_number() over (partition by {values} order by stage_row) "
        "as n from stage_shared) where n > 1").fetchnumpy()["stage_row"]
    conflicts = con.execute(
        f"select stage_row from (select stage_row, count(*) over (partition by {keys}) as n from stage_shared "
        "where not list_contains($copies, stage_row)) where n > 1", {"copies": copies.tolist()}).fetchnumpy()["stage_row"]
    dropped = copies.tolist() + conflicts.tolist()
    if dropped:
        con.execute(f"delete from {STAGE} where stage_row in (select unnest($rows))", {"rows": dropped})
    record_touched(con, table, key)
    updated, loaded = _upsert_stage(con, table, key)
    con.execute(f"drop table {STAGE}")
    con.execute("drop table stage_shared")
    return StagedFile(loaded, updated, len(copies), frozenset(int(r) for r in conflicts))


TOUCHED = "import_touched"  # what this write's imports touched, read by ``build.refresh`` (a temp table)
TOUCHED_COLUMNS = ("child_id", "posyandu_id", "village_code", "month", "year")


def touched_columns(table: str) -> tuple[str, ...]:
    """The columns of ``TOUCHED`` that a change of ``table`` fills: its child, posyandu and village,
    and the month and year of the date in its natural key (a measurement's date, a report's month)."""
    present = set(table_columns(table))
    dated = any(kind == "DATE" and name in _natural_key(table) for name, kind in _schema_columns(table))
    return tuple(c for c in TOUCHED_COLUMNS if c in present or (dated and c in ("month", "year")))


def _natural_key(table: str) -> tuple[str, ...]:
    from dashboard.ingest.datasets import DATASETS

    return DATASETS[table].natural_key if table in DATASETS else ()


def record_touched(con: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...]) -> None:
    """Before the upsert: the keys of the staged rows and of the rows they replace (a correction may
    move a child to another village or month, so the old slice is touched too) go into ``TOUCHED``,
    so the marts are recomputed for those slices only. Rows naming a posyandu may have added it to
    the register (the ``register_posyandu`` hook), so their posyandu count as touched register rows."""
    con.execute(f"create temp table if not exists {TOUCHED} (dataset varchar, child_id varchar, "
                "posyandu_id varchar, village_code varchar, month date, year date)")
    filled = touched_columns(table)
    date = next((name for name, kind in _schema_columns(table) if kind == "DATE" and name in key), None)

    def select(present) -> str:   # the touched columns a relation has; the stage holds only those a file filled
        values = {c: c for c in filled if c not in ("month", "year") and c in present}
        if date and date in present:
            values |= {"month": f"date_trunc('month', {date})::date", "year": f"date_trunc('year', {date})::date"}
        return ", ".join(values.get(c, "null") for c in TOUCHED_COLUMNS)

    con.execute(f"insert into {TOUCHED} select distinct '{table}', {select(_staged)} from {STAGE}")
    condition = " and ".join(f"t.{k} = s.{k}" for k in key)   # ``finish_stage`` staged the key columns
    con.execute(f"insert into {TOUCHED} select distinct '{table}', {select(table_columns(table))} from {table} t "
                f"semi join {STAGE} s on {condition}")
    if "posyandu_id" in filled and "posyandu_id" in _staged and table != "posyandu":
        con.execute(f"insert into {TOUCHED} (dataset, posyandu_id, village_code) select distinct 'posyandu', "
                    f"p.posyandu_id, p.village_code from posyandu p semi join {STAGE} s on p.posyandu_id = s.posyandu_id")


def _upsert_stage(con: duckdb.DuckDBPyConnection, table: str, key: tuple[str, ...]) -> tuple[int, int]:
    """Staged rows replace rows with the same natural key, the rest are inserted: (replaced, written)."""
    condition = " and ".join(f"t.{k} = s.{k}" for k in key)
    updated = 0
    if scalar(con, f"select count(*) from (select 1 from {table} limit 1)"):  # a first import has nothing to replace
        updated = scalar(con, f"select count(*) from {table} t semi join {STAGE} s on {condition}")
        con.execute(f"delete from {table} t using {STAGE} s where {condition}")
    loaded = con.execute(f"insert into {table} by name select * exclude (stage_row) from {STAGE}").fetchone()[0]
    return int(updated), int(loaded)


def reject_conflicts(con: duckdb.DuckDBPyConnection, mapped: MappedTable, chunk, conflicts: frozenset[int],
                     batch_id: int) -> pd.DataFrame:
    """The rows of a chunk that ``finish_stage`` found conflicting, written as rejects under the key's heading."""
    key = mapped.dataset.natural_key
    problems = Problems(len(chunk.cells))
    problems.add_mask(pd.Series(chunk.source_rows.isin(conflicts).to_numpy(), index=chunk.cells.index),
                      mapped.heading(next((k for k in key if k in mapped.positions), key[0])), "duplicate_conflict")
    return write_rejects(con, problems.frame(), mapped, chunk, batch_id)


def _store_rejected_rows(con: duckdb.DuckDBPyConnection, chunk, positions, width: int, batch_id: int) -> None:
    """The rejected rows as read, in heading order, for the download an office corrects."""
    cells = chunk.cells.iloc[sorted(positions), :width]
    stored = pd.DataFrame({"batch_id": batch_id,
                           "source_row": chunk.source_rows.iloc[sorted(positions)].to_numpy(),
                           "cells": [list(row) for row in cells.itertuples(index=False, name=None)]})
    con.register("stage_reject_rows", stored)
    con.execute("insert into reject_rows select batch_id, source_row, cells::varchar[] from stage_reject_rows")
    con.unregister("stage_reject_rows")


def _canonical_frame(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """The table's columns the frame carries, RT/RW written without leading zeros ('001' is '1')."""
    out = frame[[c for c in table_columns(table) if c in frame]].copy()
    for column in ("rw", "rt"):
        if column in out:
            out[column] = out[column].map(lambda v: (v.lstrip("0") or "0") if isinstance(v, str) and v.isdigit() else v)
    return out


def reject_frame(found: pd.DataFrame, mapped: MappedTable, cells: pd.DataFrame, source_rows: pd.Series,
                 batch_id: int) -> pd.DataFrame:
    """One reject row per problem cell, with the value as written (masked when personal)."""
    position = {h: i for i, h in enumerate(mapped.table.headings)}
    values = pd.Series(None, index=range(len(found)), dtype=object)
    headings = found.heading.to_numpy()
    rows = found.pos.to_numpy()
    for heading in pd.unique(headings):
        at = np.flatnonzero(headings == heading)
        if heading in position:
            raw = cells.iloc[rows[at], position[heading]]
            personal, kind = heading in mapped.personal, mapped.kind_of(heading)
        elif heading == "__extra":
            raw, personal, kind = cells["__extra"].iloc[rows[at]], True, None
        else:
            continue
        values.iloc[at] = shown_values(raw.reset_index(drop=True), personal, kind).to_numpy()
    return pd.DataFrame({
        "batch_id": batch_id,
        "dataset": mapped.dataset.name,
        "source_file": mapped.table.file_name,
        "source_row": source_rows.to_numpy()[found.pos.to_numpy()].astype("int64"),
        "column_name": found.heading.replace({"__extra": EXTRA_CELLS_HEADING}).to_numpy(),
        "value": values.to_numpy(),
        "reason_id": [nz.REASONS[c][0] for c in found.code],
        "reason_en": [nz.REASONS[c][1] for c in found.code],
    })
