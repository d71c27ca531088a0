"""Read stage: CSV and Excel exports into a grid of strings below the heading row.

A file that cannot be read at all raises ``UnreadableFile`` with a one-line reason; nothing is
written for it. Readers never look at values beyond turning cells into text.

A plain CSV (UTF-8, no quoted cells, no row wider than its headings: what e-PPGBM and the
demo write) is streamed: one pass checks it (hash, line lengths, encoding, widths) block by block,
then ``RawTable.chunks()`` reads it ``CHUNK_ROWS`` rows at a time, so memory does not grow with
the file. Other files (quoted or mixed-encoding CSV, workbooks, HTML) are read whole and handed
on as chunks of the same size.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, time
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from dashboard.config import settings
from dashboard.ingest.datasets import DATASETS, heading_key


class UnreadableFile(Exception):
    """The file as a whole cannot be imported (format, encoding, no heading, wrong dataset)."""


CHUNK_ROWS = 200_000  # rows per chunk handed to the later stages: bounds an import's memory


@dataclass
class Chunk:
    """Rows of a file as text: one column per heading position plus ``__extra``; 1-based source rows."""

    cells: pd.DataFrame
    source_rows: pd.Series


@dataclass
class RawTable:
    """The heading of a file and a way to read the cells below it, chunk by chunk, as strings."""

    file_name: str
    sha256: str
    sheet: str | None
    heading_row: int           # 1-based
    headings: list[str]
    read_chunks: Callable[[], Iterator[Chunk]]  # each call reads the rows again from the start
    warnings: list[str] = field(default_factory=list)          # what the reader did that a person should know
    blank_formulas: list[tuple[int, int]] = field(default_factory=list)  # (source row, heading position)
    above: list[list[str | None]] = field(default_factory=list)  # rows above the heading (titles, group headings)

    def chunks(self) -> Iterator[Chunk]:
        """The non-empty rows below the heading, at most ``CHUNK_ROWS`` at a time."""
        return self.read_chunks()

    @property
    def cells(self) -> pd.DataFrame:
        """Every row at once (for small files and tests): one column per heading position plus ``__extra``."""
        return pd.concat([c.cells for c in self.chunks()], ignore_index=True)

    @property
    def source_rows(self) -> pd.Series:
        return pd.concat([c.source_rows for c in self.chunks()], ignore_index=True)


@dataclass
class _Read:
    """What one reader found: the sheet or table, the heading row (0-based) and the rows below it."""

    sheet: str | None
    heading_index: int
    headings: list[str]
    frame: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    blank_formulas: list[tuple[int, int]] = field(default_factory=list)
    above: list[list[str | None]] = field(default_factory=list)


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
def known_heading_keys() -> frozenset[str]:
    """Every heading some dataset maps or deliberately ignores, as ``heading_key`` writes it."""
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
    known = known_heading_keys()
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


def _decode(data: bytes) -> tuple[str, list[int]]:
    """Text of a CSV, and the lines (1-based) of a mixed file that were not UTF-8: each such line is
    decoded on its own as Windows-1252.

    Exports pasted together from several computers mix the two; decoding line by line keeps both
    kinds of names right, and the lines read as Windows-1252 are named in a warning.
    """
    if b"\x00" in data[:8192]:
        raise UnreadableFile("not a text CSV or an Excel workbook (binary content) / bukan file CSV atau Excel")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    lines, legacy, utf8_beyond_ascii = [], [], False
    for number, line in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        try:
            lines.append(line.decode("utf-8"))
            utf8_beyond_ascii = utf8_beyond_ascii or not line.isascii()
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            legacy.append(number)
    return "\n".join(lines), legacy if utf8_beyond_ascii else []  # a file all in Windows-1252 is no news


def _check_line_lengths(data: bytes, limit: int) -> None:
    """Refuse a text file with a line over ``limit`` bytes (one-line files, 100k columns, megabyte cells)."""
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    bounds = np.concatenate(([-1], ends, [len(data)]))
    lengths = np.diff(bounds) - 1
    longest = int(lengths.argmax()) if len(lengths) else 0
    if len(lengths) and lengths[longest] > limit:
        raise UnreadableFile(f"line {longest + 1} is {lengths[longest] // 1024} KiB long, over the "
                             f"{limit // 1024} KiB limit for one line / baris terlalu panjang")


def _check_archive(data: bytes, max_bytes: int, max_ratio: float) -> None:
    """Refuse a workbook (a zip) whose members would expand too far, before any parser opens it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFile("Excel file cannot be read (damaged or truncated zip) / file Excel rusak") from None
    if expanded > max_bytes or expanded > max_ratio * len(data):
        raise UnreadableFile(
            f"workbook would expand to {expanded // (1024 * 1024)} MB from {max(len(data) // 1024, 1)} KB "
            f"(limits {max_bytes // (1024 * 1024)} MB and {max_ratio:.0f}x): refused as a possible zip bomb "
            "/ file ditolak")


def _csv_head(text: str, scan: int) -> tuple[str, int, list[list[str | None]]]:
    """Pick the delimiter whose parse of the first lines gives the best heading row."""
    lines = text.splitlines()[: scan + 1]
    known = known_heading_keys()
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


def _strip_cells(frame: pd.DataFrame, width: int) -> None:
    """Each cell stripped, empty as None; each distinct text once (exports repeat values a lot)."""
    for column in range(width):
        codes, uniques = pd.factorize(frame[column])
        stripped = np.array([u.strip() or None if isinstance(u, str) else None for u in uniques] + [None], dtype=object)
        frame[column] = pd.Series(stripped[codes], index=frame.index, dtype=object)  # no str inference per cell


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
    _strip_cells(frame, width)
    frame["__extra"] = None
    frame["__row"] = np.arange(heading_index + 2, heading_index + 2 + len(frame))
    return frame


_BLOCK_BYTES = 16 * 1024 * 1024


def _line_blocks(path: Path, max_line: int) -> Iterator[bytes]:
    """The file in blocks of whole lines (the last may lack its line end); a line over ``max_line``
    bytes that does not even fit a block is refused here, before it is held in memory."""
    rest = b""
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK_BYTES):
            data = rest + block
            cut = data.rfind(b"\n") + 1
            if cut == 0 and len(data) > max_line:
                raise UnreadableFile(f"a line is over {len(data) // 1024} KiB long, over the {max_line // 1024} KiB "
                                     "limit for one line / baris terlalu panjang")
            yield data[:cut]
            rest = data[cut:]
    if rest:
        yield rest


@dataclass
class _PlainCsv:
    """What one streamed pass learnt about a CSV: its hash and its first lines as text."""

    sha256: str
    head: str


def _check_plain_csv(path: Path, scan: int, max_line: int) -> _PlainCsv | None:
    """Hash, line lengths and encoding of a CSV in one pass of bounded memory; None when it is not
    plain (not UTF-8, quoted cells, binary) and must be read whole by the exact reader."""
    digest, head, line, longest = hashlib.sha256(), "", 0, (0, 0)
    for number, block in enumerate(_line_blocks(path, max_line)):
        digest.update(block)
        if number == 0 and b"\x00" in block[:8192] or b'"' in block:
            return None
        try:
            text = block.decode("utf-8-sig" if number == 0 else "utf-8")  # blocks end at a line end
        except UnicodeDecodeError:
            return None
        if number == 0:
            head = "\n".join(text.split("\n", scan + 2)[: scan + 1])
        ends = np.flatnonzero(np.frombuffer(block, dtype=np.uint8) == 10)
        lengths = np.diff(np.concatenate(([-1], ends, [len(block)]))) - 1
        if len(lengths) and lengths.max() > longest[1]:
            longest = (line + int(lengths.argmax()) + 1, int(lengths.max()))
        line += len(ends)
    if longest[1] > max_line:
        raise UnreadableFile(f"line {longest[0]} is {longest[1] // 1024} KiB long, over the "
                             f"{max_line // 1024} KiB limit for one line / baris terlalu panjang")
    return _PlainCsv(digest.hexdigest(), head)


@dataclass
class _RowWidths:
    """Cells per row below the heading (delimiters + 1; a blank line has one) and whether a carriage
    return stands alone (an old Mac line end, which the line counts here would not see)."""

    fewest: int | None
    most: int
    lone_carriage_return: bool


def _row_widths(path: Path, delimiter: str, heading_index: int, max_line: int) -> _RowWidths:
    """The fewest and most cells in any row below the heading, counted block by block."""
    fewest, most, lone_cr, line, mark = None, 0, False, 0, ord(delimiter)
    for block in _line_blocks(path, max_line):
        codes = np.frombuffer(block, dtype=np.uint8)
        ends = np.flatnonzero(codes == 10)
        bounds = np.concatenate(([-1], ends, [len(codes)] if not len(ends) or ends[-1] != len(codes) - 1 else []))
        marks = np.flatnonzero(codes == mark)
        counts = np.searchsorted(marks, bounds[1:]) - np.searchsorted(marks, bounds[:-1])
        below = counts[max(heading_index + 1 - line, 0):]
        if len(below):
            most = max(most, int(below.max()) + 1)
            fewest = min(fewest if fewest is not None else most, int(below.min()) + 1)
        returns = np.flatnonzero(codes == 13)
        lone_cr = lone_cr or bool(len(returns) and (returns[-1] == len(codes) - 1 or (codes[returns + 1] != 10).any()))
        line += len(ends)
    return _RowWidths(fewest, most, lone_cr)


def _stream_plain_csv(path: Path, delimiter: str, heading_index: int, width: int) -> Iterator[Chunk]:
    """The rows below the heading of a plain CSV, ``CHUNK_ROWS`` at a time, via pandas' C parser."""
    first = heading_index + 2
    try:
        reader = pd.read_csv(path, sep=delimiter, header=None, skiprows=heading_index + 1, names=range(width),
                             dtype=object, keep_default_na=False, na_filter=False, skip_blank_lines=False,
                             quoting=csv.QUOTE_NONE, engine="c", index_col=False, encoding="utf-8-sig",
                             chunksize=CHUNK_ROWS)
    except pd.errors.EmptyDataError:  # nothing below the heading
        return
    with reader:
        for frame in reader:
            _strip_cells(frame, width)
            frame["__extra"] = None
            frame["__row"] = np.arange(first, first + len(frame))
            first += len(frame)
            chunk = _non_empty(frame, set())
            if len(chunk.cells):
                yield chunk


def _stream_rectangular_csv(path: Path, delimiter: str, heading_index: int, width: int) -> Iterator[Chunk]:
    """The rows below the heading of a plain CSV whose every row has exactly ``width`` cells (checked by
    ``_row_widths``), ``CHUNK_ROWS`` at a time, via Arrow's CSV reader: cells stay Arrow strings, so no
    Python object is made per cell. One line is one row, as in ``_stream_plain_csv``."""
    import pyarrow as pa
    from pyarrow import csv as arrow_csv

    names = [str(i) for i in range(width)]
    reader = arrow_csv.open_csv(
        path, read_options=arrow_csv.ReadOptions(skip_rows=heading_index + 1, column_names=names,
                                                 block_size=4 * 1024 * 1024),
        parse_options=arrow_csv.ParseOptions(delimiter=delimiter, quote_char=False, double_quote=False,
                                             escape_char=False, newlines_in_values=False, ignore_empty_lines=False),
        convert_options=arrow_csv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    first, pending = heading_index + 2, []
    for batch in reader:
        pending.append(batch)
        while sum(b.num_rows for b in pending) >= CHUNK_ROWS:
            held = pa.Table.from_batches(pending, reader.schema)
            yield from _arrow_chunk(held.slice(0, CHUNK_ROWS), first)
            first += CHUNK_ROWS
            pending = held.slice(CHUNK_ROWS).to_batches()
    if sum(b.num_rows for b in pending):
        yield from _arrow_chunk(pa.Table.from_batches(pending, reader.schema), first)


def _arrow_chunk(table, first: int) -> Iterator[Chunk]:
    """Arrow string columns as a chunk: each cell stripped, empty as missing (like ``_strip_cells``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    frame = pd.DataFrame(index=pd.RangeIndex(table.num_rows))
    for position, column in enumerate(table.columns):
        stripped = pc.utf8_trim_whitespace(column)
        stripped = pc.if_else(pc.equal(stripped, ""), pa.scalar(None, pa.large_string()), stripped)
        frame[position] = pd.Series(pd.arrays.ArrowStringArray(stripped.combine_chunks()), index=frame.index)
    frame["__extra"] = None
    frame["__row"] = np.arange(first, first + table.num_rows)
    chunk = _non_empty(frame, set())
    if len(chunk.cells):
        yield chunk


def _streamed_csv(path: Path, scan: int, max_line: int) -> RawTable | None:
    """A plain CSV as a table read in chunks; None when the file needs the exact, whole-file reader."""
    plain = _check_plain_csv(path, scan, max_line)
    if plain is None or not plain.head.strip():
        return None
    delimiter, heading_index, head_rows = _csv_head(plain.head, scan)
    headings = [h or "" for h in head_rows[heading_index]]
    widths = _row_widths(path, delimiter, heading_index, max_line)
    if widths.most > len(headings):
        return None  # the exact reader keeps cells beyond the headings in ``__extra``
    stream = (_stream_rectangular_csv if widths.fewest == len(headings) and not widths.lone_carriage_return
              else _stream_plain_csv)
    return RawTable(path.name, plain.sha256, None, heading_index + 1, headings,
                    lambda: stream(path, delimiter, heading_index, len(headings)))


def _read_csv(data: bytes, scan: int, max_line: int) -> _Read:
    _check_line_lengths(data, max_line)
    text, legacy_lines = _decode(data)
    warnings_ = [] if not legacy_lines else [
        "lines decoded as Windows-1252 in a UTF-8 file (check names there) / baris dibaca sebagai Windows-1252: "
        + ", ".join(map(str, legacy_lines[:20])) + (", ..." if len(legacy_lines) > 20 else "")]
    delimiter, heading_index, head_rows = _csv_head(text, scan)
    headings = [h or "" for h in head_rows[heading_index]]
    if '"' not in text:  # no quoted cells, so one line is one row: pandas' C parser is exact and fast
        frame = _fast_csv(text, delimiter, heading_index, len(headings))
        if frame is not None:
            return _Read(None, heading_index, headings, frame, warnings_)
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
    return _Read(None, heading_index, headings, _grid_frame(body, len(headings), line_numbers), warnings_)


def _best_heading(rows: list[list[str | None]], scan: int) -> tuple[int, int]:
    """(score, index) of the row that best matches known headings; (0, -1) when none does."""
    known = known_heading_keys()
    scored = [(_heading_score(row, known), -index) for index, row in enumerate(rows[:scan])]
    score, index = max(scored, default=(0, 1))
    return (score, -index) if score > 1 else (0, -1)


def _read_excel(path: Path, sheet: str | None, scan: int) -> _Read:
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
    skipped = [m.name for m in book.sheets_metadata if m.name not in visible]
    notes = [f"sheet '{name}' imported; hidden sheets skipped: {', '.join(skipped)} / sheet tersembunyi dilewati"
             ] if skipped and sheet is None else []
    blank = [(r, c) for r, c in blank_formula_cells(path, name) if r > heading_index + 1 and c < len(headings)]
    return _Read(name, heading_index, headings, _grid_frame(rows[heading_index + 1:], len(headings), heading_index + 2),
                 notes, blank, rows[:heading_index])


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


def _html_tables(text: str) -> list[list[list[str | None]]]:
    """Every table of a page as rows of cell text (header rows, body, footer; merged cells repeated),
    from the lxml table parser ``pandas.read_html`` itself runs. Taken without read_html's typing step,
    which would turn '9.50' into 9.5 and drop leading zeros; asking read_html for links to keep the
    text instead spent a third of a large download's import on looking for links."""
    from pandas.io.html import _LxmlFrameParser

    parser = _LxmlFrameParser(io.StringIO(text), re.compile(".+"), None, None, True, None, None)
    found = []
    for head, body, foot in parser.parse_tables():  # ValueError: "No tables found"
        rows = head + body + foot
        if rows:
            width = max(len(row) for row in rows)
            found.append([[cell.strip() or None if cell else None for cell in row] + [None] * (width - len(row))
                          for row in rows])
    return found


def _read_html(data: bytes, scan: int) -> _Read:
    """The page's table whose heading best matches a dataset; title rows above the heading are skipped."""
    try:
        tables = _html_tables(_html_text(data))
    except ValueError:  # pandas: "No tables found"
        raise UnreadableFile("the HTML file holds no table / tidak ada tabel dalam file HTML") from None
    best = None
    for number, rows in enumerate(tables, start=1):
        score, heading_index = _best_heading(rows, scan)
        if score and (best is None or score > best[0]):
            best = score, number, heading_index, rows
    if best is None:
        find_heading([], scan)  # raises the standard message
    _, number, heading_index, rows = best
    name = f"tabel {number} dari {len(tables)} / table {number} of {len(tables)}" if len(tables) > 1 else None
    headings = [h or "" for h in rows[heading_index]]
    return _Read(name, heading_index, headings, _grid_frame(rows[heading_index + 1:], len(headings), heading_index + 2),
                 above=rows[:heading_index])


def blank_formula_cells(path: Path, sheet: str) -> list[tuple[int, int]]:
    """(row, column), 1-based row and 0-based column, of formula cells saved without a value in an .xlsx.

    A workbook written by a program rather than saved by Excel may hold formulas and no results;
    every reader then sees an empty cell. Read from the sheet's XML with lxml (other formats: none).
    """
    from lxml import etree

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    try:
        with zipfile.ZipFile(path) as archive:
            part = _sheet_part(archive, sheet)
            if part is None:
                return []
            if not _has_formula(archive, part):  # most sheets: no formula at all, no need to walk every cell
                return []
            found = []
            with archive.open(part) as xml:
                for _, cell in etree.iterparse(xml, tag=f"{main}c"):
                    formula, value = cell.find(f"{main}f"), cell.find(f"{main}v")
                    if formula is not None and (value is None or value.text is None) and cell.get("t") != "inlineStr":
                        found.append(_cell_position(cell.get("r", "")))
                    cell.clear()
            return [f for f in found if f]
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return []


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _has_formula(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether a worksheet's XML holds any formula element, read block by block (bounded memory)."""
    tail = b""
    with archive.open(part) as xml:
        while block := xml.read(1024 * 1024):
            if _FORMULA_TAG.search(tail + block):
                return True
            tail = block[-64:]
    return False


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip member of a named worksheet, from workbook.xml and its relationships."""
    from lxml import etree

    if "xl/workbook.xml" not in archive.namelist():
        return None
    book = etree.fromstring(archive.read("xl/workbook.xml"))
    rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    rel_id = next((s.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                   for s in book.iter("{*}sheet") if s.get("name") == sheet), None)
    target = next((r.get("Target") for r in rels.iter("{*}Relationship") if r.get("Id") == rel_id), None)
    if target is None:
        return None
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _cell_position(ref: str) -> tuple[int, int] | None:
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = ref[len(letters):]
    if not letters or not digits.isdigit():
        return None
    column = 0
    for ch in letters.upper():
        column = column * 26 + (ord(ch) - 64)
    return int(digits), column - 1


def _non_empty(frame: pd.DataFrame, blank_rows: set[int]) -> Chunk:
    """The rows with any cell (or a formula saved without its value), cells apart from row numbers."""
    cells = frame.drop(columns="__row")
    keep = cells.notna().any(axis=1) | frame["__row"].isin(blank_rows)
    return Chunk(cells[keep].reset_index(drop=True), frame.loc[keep, "__row"].reset_index(drop=True).astype(int))


def _frame_chunks(frame: pd.DataFrame, blank_rows: set[int]) -> Iterator[Chunk]:
    """A file read whole, handed on in chunks of ``CHUNK_ROWS`` rows like a streamed one."""
    for start in range(0, len(frame), CHUNK_ROWS):
        chunk = _non_empty(frame.iloc[start:start + CHUNK_ROWS], blank_rows)
        if len(chunk.cells):
            yield chunk


def read_export(path: Path, sheet: str | None = None, scan: int = 30) -> RawTable:
    """Read one export file; raise UnreadableFile with a one-line reason if it cannot be used."""
    cfg = settings()
    try:
        with path.open("rb") as handle:
            start = handle.read(1024 * 1024)  # as far as ``looks_like_html`` looks
        streamed = None
        if not (start.startswith(_ZIP) or start.startswith(_OLE) or looks_like_html(start)
                or path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods", ".html", ".htm")):
            streamed = _streamed_csv(path, scan, cfg.max_line_bytes)
        if streamed is not None:
            return streamed
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"cannot open file: {exc.strerror}") from None
    if not data.strip():
        raise UnreadableFile("file is empty / file kosong")
    if data.startswith(_ZIP):
        _check_archive(data, cfg.max_unzipped_bytes, cfg.max_zip_ratio)
    if data.startswith(_ZIP) or data.startswith(_OLE):
        read = _read_excel(path, sheet, scan)
    elif looks_like_html(data):
        read = _read_html(data, scan)
    elif path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        raise UnreadableFile("file has an Excel name but is not an Excel workbook (truncated or renamed?)")
    else:
        read = _read_csv(data, scan, cfg.max_line_bytes)
    frame, blank_rows = read.frame, {row for row, _ in read.blank_formulas}
    return RawTable(
        file_name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        sheet=read.sheet,
        heading_row=read.heading_index + 1,
        headings=read.headings,
        read_chunks=lambda: _frame_chunks(frame, blank_rows),
        warnings=read.warnings,
        blank_formulas=read.blank_formulas,
        above=read.above,
    )
