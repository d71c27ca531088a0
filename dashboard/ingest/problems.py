"""Per-cell problems collected by the parse, validate, resolve and load stages of one chunk.

A problem is (row position in the chunk, heading as written, reason code of
``normalise.REASONS``); a row with any problem is rejected, with every reason it has.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class Problems:
    """Problems of one chunk of ``n`` rows, in the order the stages found them."""

    def __init__(self, n: int):
        self.n = n
        self.rows: list[np.ndarray] = []
        self.columns: list[str] = []
        self.codes: list[np.ndarray] = []

    def add(self, errors: pd.Series, heading: str | pd.Series) -> None:
        """Record every non-empty reason code of ``errors`` under ``heading`` (one or per row)."""
        codes = errors.to_numpy(dtype=object)
        mask = pd.notna(codes)
        if not mask.any():  # the common case: a column without problems, checked without comparing text
            return
        mask &= codes != ""
        if not mask.any():
            return
        positions = np.flatnonzero(mask)
        self.rows.append(positions)
        self.codes.append(codes[positions])
        if isinstance(heading, str):
            self.columns.extend([heading] * len(positions))
        else:
            self.columns.extend(heading.to_numpy(dtype=object)[positions].tolist())

    def add_mask(self, mask: pd.Series, heading: str, code: str) -> None:
        self.add(pd.Series(np.where(mask.fillna(False).to_numpy(dtype=bool), code, None), index=mask.index,
                           dtype=object), heading)

    def frame(self) -> pd.DataFrame:
        """One row per (position, heading): the first reason found for that cell."""
        if not self.rows:
            return pd.DataFrame({"pos": pd.Series(dtype="int64"), "heading": pd.Series(dtype=object),
                                 "code": pd.Series(dtype=object)})
        return pd.DataFrame({"pos": np.concatenate(self.rows), "heading": self.columns,
                             "code": np.concatenate(self.codes)}).drop_duplicates(["pos", "heading"])

    def bad_rows(self) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        if self.rows:
            mask[np.concatenate(self.rows)] = True
        return mask

    def in_heading(self, heading: str) -> pd.Series:
        """Rows that already have a problem under ``heading``."""
        found = self.frame()
        mask = np.zeros(self.n, dtype=bool)
        mask[found.loc[found.heading == heading, "pos"].to_numpy()] = True
        return pd.Series(mask)
