"""Read stage: CSV and Excel exports into a grid of strings below the heading row.

A file that cannot be read at all raises ``UnreadableFile`` with a one-line reason; nothing is
written for it. Readers never look at values beyond turning cells into text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import warnings
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.ingest.datasets import DATASETS, heading_key


class UnreadableFile(Exception):
    """The file as a whole cannot be imported (format, encoding, no heading, wrong dataset)."""


@dataclass
class RawTable:
    """Cells below the heading as strings, with their 1-based source row numbers."""

    file_name: str
    sha256: str
    sheet: str | None
    heading_row: int           # 1-based
    headings: list[str]
    cells: pd.DataFrame         # one column per heading position (0..n-1) plus ``__extra``; strings or None
    source_rows: pd.Series      # 1-based row number of each cell row


_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() and abs(value) < 1e17 else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


@lru_cache(maxsize=1)
def _all_alias_keys() -> frozenset[str]:
    keys = set()
    for dataset in DATASETS.values():
        for column in dataset.columns:
            keys.update(heading_key(a)[0] for a in column.aliases)
        keys.update(heading_key(a)[0] for a in dataset.ignored)
    return frozenset(keys)


def _heading_score(row: list[str | None], known: set[str]) -> int:
    return sum(1 for cell in row if cell and heading_key(cell)[0] in known)


def find_heading(rows: list[list[str | None]], scan: int) -> int:
    """Index of the row whose cells best match known headings; exports put titles above it."""
    known = _all_alias_keys()
    best, best_score = -1, 1
    for index, row in enumerate(rows[:scan]):
        score = _heading_score(row, known)
        if score > best_score:
            best, best_score = index, score
    if best < 0:
        raise UnreadableFile(
            f"no heading row found in the first {scan} rows (expected headings such as "
            "'NIK', 'Tgl Lahir', 'BB', 'Posyandu', 'No Rujukan', 'Dasa Wisma') / baris judul kolom tidak ditemukan")
    return best


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise UnreadableFile("not a text CSV or an Excel workbook (binary content) / bukan file CSV atau Excel")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict") if _cp1252_ok(data) else data.decode("latin-1")


def _cp1252_ok(data: bytes) -> bool:
    try:
        data.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _csv_head(text: str, scan: int) -> tuple[str, int, list[list[str | None]]]:
    """Pick the delimiter whose parse of the first lines gives the best heading row."""
    lines = text.splitlines()[: scan + 1]
    known = _all_alias_keys()
    best = None
    for delimiter in (",", ";", "\t", "|"):
        rows = [[c.strip() or None for c in r] for r in csv.reader(lines, delimiter=delimiter)]
        for index, row in enumerate(rows[:scan]):
            score = _heading_score(row, known)
            if best is None or score > best[0]:
                best = (score, delimiter, index, rows)
    if best is None or best[0] < 2:
        find_heading([], scan)  # raises the standard message
    return best[1], best[2], best[3]


def _grid_frame(body: list[list[str | None]], width: int, first_row: int | list[int]) -> pd.DataFrame:
    """Cells as a frame of ``width`` columns; cells beyond the headings go to ``__extra``."""
    rows = [r[:width] + [None] * (width - len(r)) for r in body]
    frame = pd.DataFrame(rows, columns=range(width), dtype=object)
    frame["__extra"] = [next((c for c in r[width:] if c), None) for r in body]
    frame["__row"] = first_row if isinstance(first_row, list) else range(first_row, first_row + len(body))
    return frame


def _fast_csv(text: str, delimiter: str, heading_index: int, width: int) -> pd.DataFrame | None:
    """Rows below the heading via pandas' C parser; None when a row is wider than the headings."""
    try:
        with warnings.catch_warnings():
            # pandas only warns when a row is wider than the headings, and drops the extra cells:
            # make that an error so the exact reader below keeps them in ``__extra``.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(io.StringIO(text), sep=delimiter, header=None, skiprows=heading_index + 1,
                                names=range(width), dtype=object, keep_default_na=False, na_filter=False,
                                skip_blank_lines=False, quoting=csv.QUOTE_NONE, engine="c", index_col=False)
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        return None
    for column in range(width):  # strip each distinct text once: exports repeat values a lot
        codes, uniques = pd.factorize(frame[column])
        stripped = np.array([u.strip() or None if isinstance(u, str) else None for u in uniques] + [None], dtype=object)
        frame[column] = stripped[codes]
    frame["__extra"] = None
    frame["__row"] = np.arange(heading_index + 2, heading_index + 2 + len(frame))
    return frame


def _read_csv(data: bytes, scan: int) -> tuple[None, int, list[str], pd.DataFrame]:
    text = _decode(data)
    delimiter, heading_index, head_rows = _csv_head(text, scan)
    headings = [h or "" for h in head_rows[heading_index]]
    if '"' not in text:  # no quoted cells, so one line is one row: pandas' C parser is exact and fast
        frame = _fast_csv(text, delimiter, heading_index, len(headings))
        if frame is not None:
            return None, heading_index, headings, frame
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    body, line_numbers = [], []
    previous_end = 0
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num  # a quoted cell may span lines
            if start <= heading_index + 1:
                continue
            body.append([c.strip() or None for c in record])
            line_numbers.append(start)
    except csv.Error as exc:
        raise UnreadableFile(f"CSV cannot be parsed near line {reader.line_num}: {exc}") from None
    return None, heading_index, headings, _grid_frame(body, len(headings), line_numbers)


def _read_excel(path: Path, sheet: str | None, scan: int) -> tuple[str, int, list[str], pd.DataFrame]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        if sheet is None:
            chosen = book.get_sheet_by_index(0)
        elif sheet in book.sheet_names:
            chosen = book.get_sheet_by_name(sheet)
        else:
            raise UnreadableFile(f"no sheet {sheet!r}; sheets are {', '.join(book.sheet_names)}")
        grid = chosen.to_python(skip_empty_area=False)
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises its own error types for broken or encrypted files
        raise UnreadableFile(
            f"Excel file cannot be read (damaged, truncated or password-protected): {type(exc).__name__}"
        ) from None
    rows = [[_cell_text(v) for v in row] for row in grid]
    heading_index = find_heading(rows, scan)
    headings = [h or "" for h in rows[heading_index]]
    return chosen.name, heading_index, headings, _grid_frame(rows[heading_index + 1:], len(headings), heading_index + 2)


def read_export(path: Path, sheet: str | None = None, scan: int = 30) -> RawTable:
    """Read one export file; raise UnreadableFile with a one-line reason if it cannot be used."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot open file: {exc.strerror}") from None
    if not data.strip():
        raise UnreadableFile("file is empty / file kosong")
    if data.startswith(_ZIP) or data.startswith(_OLE):
        sheet_name, heading_index, headings, frame = _read_excel(path, sheet, scan)
    elif path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise UnreadableFile("file has an Excel name but is not an Excel workbook (truncated or renamed?)")
    else:
        sheet_name, heading_index, headings, frame = _read_csv(data, scan)
    cells = frame.drop(columns="__row")
    non_empty = cells.notna().any(axis=1)
    cells = cells[non_empty].reset_index(drop=True)  # keeps ``__extra`` for the loader
    source_rows = frame.loc[non_empty, "__row"].reset_index(drop=True).astype(int)
    return RawTable(
        file_name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        sheet=sheet_name,
        heading_row=heading_index + 1,
        headings=headings,
        cells=cells,
        source_rows=source_rows,
    )
