"""Parse stage: the cells of one chunk of rows into typed canonical columns.

Input: the ``MappedTable`` and a ``Chunk`` (cells as text and their source rows). Output: a
``ParsedChunk`` whose frame holds one typed column per mapped canonical column, and whose
``problems`` hold every cell that could not be understood.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.ingest import normalise as nz
from dashboard.ingest.headings import MappedTable
from dashboard.ingest.problems import Problems
from dashboard.ingest.readers import Chunk

__all__ = ["Chunk", "ParsedChunk", "parse_chunk"]

@dataclass
class ParsedChunk:
    mapped: MappedTable
    chunk: Chunk
    frame: pd.DataFrame      # canonical column -> typed values, same index as the chunk's cells
    problems: Problems


def parse_chunk(mapped: MappedTable, chunk: Chunk) -> ParsedChunk:
    """Typed values of every mapped column; cells beyond the headings are a problem of their row."""
    problems = Problems(len(chunk.cells))
    frame = _parse_columns(mapped, chunk.cells, problems)
    problems.add_mask(chunk.cells["__extra"].notna(), "__extra", "extra_cells")
    _flag_blank_formulas(mapped, chunk, problems)
    return ParsedChunk(mapped, chunk, frame, problems)


def _flag_blank_formulas(mapped: MappedTable, chunk: Chunk, problems: Problems) -> None:
    """A formula saved without its value is a problem of its cell, not an empty cell."""
    rows = pd.Series(chunk.source_rows.to_numpy(), index=chunk.cells.index)
    for column in sorted({c for _, c in mapped.table.blank_formulas}):
        blank_rows = {r for r, c in mapped.table.blank_formulas if c == column}
        problems.add_mask(rows.isin(blank_rows), mapped.table.headings[column], "formula_no_value")


def _parse_columns(mapped: MappedTable, cells: pd.DataFrame, problems: Problems) -> pd.DataFrame:
    dataset, positions = mapped.dataset, mapped.positions
    year = cells[positions["year"]] if "year" in positions else None
    parsed = {}
    for column in dataset.columns:
        if column.name not in positions or column.name == "year":
            continue
        raw = cells[positions[column.name]]
        if column.kind == "month":
            result = nz.parse_month(raw, year, year_alone_is_january=dataset.year_alone_is_january)
        elif column.kind == "decimal" and mapped.units.get(column.name) == "gram":
            result = _grams(raw)
        elif column.kind.startswith("vocab:"):
            result = nz.parse_vocab(raw, column.kind.split(":", 1)[1])
        else:
            result = getattr(nz, f"parse_{column.kind}")(raw)
        if column.kind == "count":  # every count column is a 32-bit integer in the schema
            too_big = result.values.astype("Float64") > np.iinfo(np.int32).max
            result = nz.Parsed(result.values.mask(too_big.fillna(False)),
                               result.errors.where(~too_big.fillna(False), "count_range"))
        problems.add(result.errors, mapped.heading(column.name))
        parsed[column.name] = result.values
    month_columns = [c.name for c in dataset.columns if c.kind == "month"]
    if year is not None and month_columns and not any(c in positions for c in month_columns):
        result = nz.parse_month(pd.Series([None] * len(cells), index=cells.index), year,
                                year_alone_is_january=dataset.year_alone_is_january)
        problems.add(result.errors, mapped.heading("year"))
        parsed[month_columns[0]] = result.values
    frame = pd.DataFrame(parsed, index=cells.index)
    if "weight_kg" in frame and mapped.units.get("weight_kg") != "gram" and frame["weight_kg"].median() > 250:
        frame["weight_kg"] = frame["weight_kg"] / 1000.0  # a kg heading over a column of gram values
    return frame


def _grams(raw: pd.Series) -> nz.Parsed:
    """Weights in grams: '9.500' is nine and a half thousand grams, not nine point five."""
    whole = nz.parse_count(raw)
    decimal = nz.parse_decimal(raw)
    grams = whole.values.astype("float64").where(whole.values.notna(), decimal.values)
    return nz.Parsed(grams / 1000.0, decimal.errors.where(whole.values.isna(), None))
