"""The assessment scores in one SQLite file beside the decisions store (``p2wkss.sqlite`` next to
``POSYANDU_DECISIONS``), for the reason ``dashboard.meeting.store`` gives: every import writes a new
DuckDB file and swaps it in, so scores typed on the page would be lost there. One row per village, year
and part; entering a score again replaces it and records who changed it and when."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from dashboard.config import settings
from dashboard.indicators import catalogue

BUSY_TIMEOUT_MS = 15_000
SCHEMA = """
create table if not exists scores (
    village_code   text not null,
    year           integer not null,
    part           text not null,
    score          real not null,
    entered_by     text not null,
    entered_at     text not null,
    primary key (village_code, year, part)
)
"""


class ScoreError(ValueError):
    """A score the store refuses, with a message for the person who typed it."""


def parts() -> dict[str, dict]:
    """The assessment's parts in the catalogue's order, each with its weight and names."""
    return catalogue()["p2wkss"]["parts"]


class AssessmentStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path or settings().decisions_path.with_name("p2wkss.sqlite"))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        with self._connection() as con:
            con.execute("pragma journal_mode = wal")
            con.execute(SCHEMA)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            con.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
            yield con
        finally:
            con.close()

    def enter(self, village_code: str, year: int, scores: dict[str, float], user: str) -> None:
        """The scores of one village for one year's assessment (all given parts in one transaction)."""
        maximum = float(catalogue()["p2wkss"]["max_score"])
        for part, score in scores.items():
            if part not in parts():
                raise ScoreError(f"bagian penilaian tidak dikenal / unknown part: {part}")
            if score is None or not 0 <= float(score) <= maximum:
                raise ScoreError(f"nilai {parts()[part]['id']} harus 0..{maximum:g} / score must be 0..{maximum:g}")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connection() as con:
            con.execute("begin immediate")
            con.executemany("insert or replace into scores values (?, ?, ?, ?, ?, ?)",
                            [(village_code, int(year), part, float(score), user, now) for part, score in scores.items()])
            con.execute("commit")

    def scores(self, year: int, village_codes: list[str] | None = None) -> pd.DataFrame:
        """village_code, part, score, entered_by, entered_at of one year (of the given villages)."""
        with self._connection() as con:
            frame = pd.read_sql_query("select village_code, part, score, entered_by, entered_at from scores "
                                      "where year = ? order by village_code, part", con, params=(int(year),))
        return frame if village_codes is None else frame[frame.village_code.isin(village_codes)]
