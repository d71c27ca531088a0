"""Validate stage: rules over whole rows once every cell is parsed.

Input and output: a ``ParsedChunk``; the stage adds problems. Required columns are checked here
for every dataset; the dataset's own ``validate`` hook adds its row rules through a ``RowCheck``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard.ingest import normalise as nz
from dashboard.ingest.headings import MappedTable
from dashboard.ingest.parse import ParsedChunk
from dashboard.ingest.privacy import nik_in
from dashboard.ingest.problems import Problems


@dataclass
class RowCheck:
    """What a dataset's row rules see: the parsed frame, and a way to flag rows by canonical column."""

    mapped: MappedTable
    frame: pd.DataFrame
    problems: Problems
    today: date

    def flag(self, mask: pd.Series, column: str, code: str) -> None:
        """Reject rows where ``mask`` holds, under the heading of ``column`` ('' for the whole row)."""
        self.problems.add_mask(mask, self.mapped.heading(column) if column else "", code)

    def bad_rows(self) -> pd.Series:
        return pd.Series(self.problems.bad_rows(), index=self.frame.index)


def validate_chunk(parsed: ParsedChunk) -> ParsedChunk:
    mapped, frame, problems = parsed.mapped, parsed.frame, parsed.problems
    for column in mapped.dataset.columns:
        if column.required and column.name in frame:
            heading = mapped.heading(column.name)
            problems.add_mask(frame[column.name].isna() & ~problems.in_heading(heading), heading, "required")
        if column.kind == "text" and column.name in frame:  # a NIK typed where a place or posyandu name goes
            problems.add_mask(nik_in(frame[column.name]), mapped.heading(column.name), "nik_in_text")
    if mapped.dataset.validate is not None:
        mapped.dataset.validate(RowCheck(mapped, frame, problems, nz.today()))
    return parsed
