"""Rejected rows given back in the file's own layout, with a reason column, to correct and import again.

Admin only: the cells are the office's own data, names and NIK included (the reasons' values are
masked as everywhere). Import the corrected file as it is: the reason column is not imported.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard.db import run_query

REASON_HEADING = {"id": "Alasan penolakan", "en": "Reason rejected"}


def rejected_rows(con: duckdb.DuckDBPyConnection, batch_id: int, lang: str = "id") -> pd.DataFrame:
    """One row per rejected row: the file's headings as columns, then the reasons in ``lang``."""
    found = run_query(con, "pages/impor/rejected_rows", {"batch_id": batch_id})
    if found.empty:
        return pd.DataFrame()
    headings = _unique([h or f"({i + 1})" for i, h in enumerate(found.headings.iloc[0])])
    frame = pd.DataFrame([list(cells) for cells in found.cells], columns=headings)
    frame[REASON_HEADING[lang]] = found["reason_en" if lang == "en" else "reason_id"].to_numpy()
    return frame


def rejected_rows_csv(con: duckdb.DuckDBPyConnection, batch_id: int, lang: str = "id") -> bytes:
    """The same as a semicolon CSV with a byte-order mark, as Excel in Indonesia opens it."""
    return rejected_rows(con, batch_id, lang).to_csv(sep=";", index=False).encode("utf-8-sig")


def _unique(headings: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for heading in headings:
        seen[heading] = seen.get(heading, 0) + 1
        out.append(heading if seen[heading] == 1 else f"{heading} ({seen[heading]})")
    return out
