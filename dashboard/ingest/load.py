"""Load stage: the good rows of a resolved chunk into their table, the rest into ``rejects``.

Input: a ``ResolvedChunk``. Output: a ``LoadedChunk`` with the row accounting (read = loaded +
rejected + duplicates) and the reject rows written. The columns stored are those of the table in
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


def load_chunk(con: duckdb.DuckDBPyConnection, resolved: ResolvedChunk, batch_id: int) -> LoadedChunk:
    mapped, chunk, problems = resolved.parsed.mapped, resolved.parsed.chunk, resolved.parsed.problems
    dataset = mapped.dataset
    good = resolved.frame[~problems.bad_rows()]
    if dataset.derive is not None:
        good = dataset.derive(good)
    canonical = _canonical_frame(good, dataset.name)
    duplicate = canonical.duplicated(keep="first")
    canonical = canonical[~duplicate]
    key = list(dataset.natural_key)
    conflict = canonical.duplicated(key, keep=False)
    if conflict.any():
        conflict_rows = pd.Series(False, index=resolved.frame.index)
        conflict_rows[canonical.index[conflict]] = True
        problems.add_mask(conflict_rows, mapped.heading(next((k for k in key if k in mapped.positions), key[0])),
                          "duplicate_conflict")
        canonical = canonical[~conflict]
    rows = canonical.assign(batch_id=batch_id, source_row=chunk.source_rows[canonical.index].to_numpy())
    rows = rows[[c for c in rows.columns if c in table_columns(dataset.name)]]
    add_new_columns(con, dataset.name)
    updated = _upsert(con, dataset.name, rows, dataset.natural_key) if len(rows) else 0
    if len(rows):
        for hook in dataset.after_load:
            hook(con, good.loc[canonical.index], batch_id)
    found = problems.frame()
    rejects = reject_frame(found, mapped, chunk.cells, chunk.source_rows, batch_id)
    if len(rejects):
        con.register("stage_rejects", rejects)
        con.execute("insert into rejects by name select * from stage_rejects")
        con.unregister("stage_rejects")
        _store_rejected_rows(con, chunk, found.pos.unique(), len(mapped.table.headings), batch_id)
    return LoadedChunk(rows_read=len(chunk.cells), rows_loaded=len(rows), rows_updated=updated,
                       rows_rejected=int(found.pos.nunique()), rows_duplicate=int(duplicate.sum()), rejects=rejects)


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


def _upsert(con: duckdb.DuckDBPyConnection, table: str, rows: pd.DataFrame, key: tuple[str, ...]) -> int:
    """Replace rows with the same natural key, insert the rest; returns how many were replaced."""
    con.register("stage_rows", rows)
    condition = " and ".join(f"t.{k} = s.{k}" for k in key)
    updated = scalar(con, f"select count(*) from {table} t semi join stage_rows s on {condition}")
    con.execute(f"delete from {table} t using stage_rows s where {condition}")
    con.execute(f"insert into {table} by name select * from stage_rows")
    con.unregister("stage_rows")
    return int(updated)


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
