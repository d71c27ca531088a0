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


def _best_heading(rows: list[list[str | None]], scan: int) -> tuple[int, int]:
    """(score, index) of the row that best matches known headings; (0, -1) when none does."""
    known = _all_alias_keys()
    scored = [(_heading_score(row, known), -index) for index, row in enumerate(rows[:scan])]
    score, index = max(scored, default=(0, 1))
    return (score, -index) if score > 1 else (0, -1)


def _read_excel(path: Path, sheet: str | None, scan: int) -> tuple[str, int, list[str], pd.DataFrame]:
    """The named sheet, else the first visible sheet with a heading row (hidden sheets never by default)."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
        if sheet is not None and sheet not in book.sheet_names:
            raise UnreadableFile(f"no sheet {sheet!r}; sheets are {', '.join(book.sheet_names)}")
        visible = [m.name for m in book.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
        candidates = [sheet] if sheet is not None else visible
        if not candidates:
            raise UnreadableFile("the workbook has no visible sheet; name one with --sheet / tidak ada sheet terlihat")
        grids = ((name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in candidates)
        found = None
        for name, grid in grids:
            rows = [[_cell_text(v) for v in row] for row in grid]
            score, heading_index = _best_heading(rows, scan)
            if score:
                found = name, heading_index, rows
                break
            if found is None:
                found = name, -1, rows
    except UnreadableFile:
        raise
    except Exception as exc:  # calamine raises its own error types for broken or encrypted files
        raise UnreadableFile(
            f"Excel file cannot be read (damaged, truncated or password-protected): {type(exc).__name__}"
        ) from None
    name, heading_index, rows = found
    if heading_index < 0:
        find_heading([], scan)  # raises the standard message
    headings = [h or "" for h in rows[heading_index]]
    return name, heading_index, headings, _grid_frame(rows[heading_index + 1:], len(headings), heading_index + 2)


def looks_like_html(data: bytes) -> bool:
    """An HTML page (e-PPGBM saves its tables as HTML under an .xls name), whatever the file is called."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<table" in data[: 1024 * 1024].lower()


_LATIN1_NAMES = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}  # browsers read these as cp1252


def _declared_charset(data: bytes) -> str | None:
    """The charset a page's ``<meta>`` declares, read with lxml's HTML parser."""
    import lxml.html

    try:
        root = lxml.html.fromstring(data[:65536])
    except Exception:  # lxml refuses some fragments; then there is no declaration to honour
        return None
    for meta in root.iter("meta"):
        declared = meta.get("charset") or meta.get("content", "").lower().partition("charset=")[2].split(";")[0]
        if declared and declared.strip():
            name = declared.strip().strip("'\"").lower()
            return "cp1252" if name in _LATIN1_NAMES else name
    return None


def _html_text(data: bytes) -> str:
    """Decode a page: its declared charset, else UTF-8, else what charset-normalizer detects."""
    for encoding in (_declared_charset(data), "utf-8-sig"):
        if encoding:
            try:
                return data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile("HTML table in an unknown character encoding / pengodean karakter tidak dikenali")
    return str(best)


def _html_rows(table: pd.DataFrame) -> list[list[str | None]]:
    """A table from ``read_html(extract_links='all')`` as rows of text: header rows first, then the body."""
    def text(cell: object) -> str | None:
        value = cell[0] if isinstance(cell, tuple) else cell
        return (str(value).strip() or None) if value is not None else None

    rows = []
    if list(table.columns) != list(range(len(table.columns))):  # a <thead> became the column labels
        labels = [c if isinstance(c, tuple) and isinstance(c[0], tuple) else (c,) for c in table.columns]
        rows.extend([text(label[level]) for label in labels] for level in range(len(labels[0])))
    rows.extend([text(c) for c in row] for row in table.itertuples(index=False, name=None))
    return rows


def _read_html(data: bytes, scan: int) -> tuple[str | None, int, list[str], pd.DataFrame]:
    """The page's table whose heading best matches a dataset; title rows above the heading are skipped."""
    try:
        tables = pd.read_html(io.StringIO(_html_text(data)), header=None, keep_default_na=False,
                              extract_links="all", flavor="lxml")
    except ValueError:  # pandas: "No tables found"
        raise UnreadableFile("the HTML file holds no table / tidak ada tabel dalam file HTML") from None
    best = None
    for number, table in enumerate(tables, start=1):
        rows = _html_rows(table)
        score, heading_index = _best_heading(rows, scan)
        if score and (best is None or score > best[0]):
            best = score, number, heading_index, rows
    if best is None:
        find_heading([], scan)  # raises the standard message
    _, number, heading_index, rows = best
    name = f"tabel {number} dari {len(tables)} / table {number} of {len(tables)}" if len(tables) > 1 else None
    headings = [h or "" for h in rows[heading_index]]
    return name, heading_index, headings, _grid_frame(rows[heading_index + 1:], len(headings), heading_index + 2)


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
    elif looks_like_html(data):
        sheet_name, heading_index, headings, frame = _read_html(data, scan)
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
