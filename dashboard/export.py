"""Every CSV and Excel file the product writes goes through here, so none can attack the spreadsheet
it is opened in: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
written with a leading single quote (OWASP, "CSV Injection"), so a posyandu named
``=HYPERLINK(...)`` stays text. Numeric columns are written as numbers, negative ones included.

CSV is UTF-8 with a byte-order mark, which Excel needs to read Indonesian names correctly; the
workbook (openpyxl) keeps numbers as numbers, whatever the reader's decimal mark.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")      # "-2.35" in a text column: a number, not a formula
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def defused(value):
    """A text cell that a spreadsheet would read as a formula, quoted; anything else (a plain signed number
    written as text included) as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text cells and headings defused; numeric, boolean and date columns untouched."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series)):
            out[column] = series.astype(object).map(defused)
    out.columns = [defused(str(c)) for c in out.columns]
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return neutralised(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")   # CRLF: fields holding \r are quoted


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    buffer = io.BytesIO()
    safe = neutralised(frame)
    for column in safe.columns:                  # Excel has no time zones
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buffer.getvalue()


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    Path(path).write_bytes(csv_bytes(frame))
    return Path(path)


def write_xlsx(frame: pd.DataFrame, path: Path, sheet: str = "Data") -> Path:
    Path(path).write_bytes(xlsx_bytes(frame, sheet))
    return Path(path)
