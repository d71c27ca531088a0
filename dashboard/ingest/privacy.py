"""What looks personal in an export, wherever it was typed: a NIK, a date (of birth) or a person's name.

Every value or heading the importer shows or stores outside the canonical tables (reject values,
reject headings, "columns not imported", messages) goes through ``shown_values`` or ``shown_heading``,
so a NIK typed into the weight column or a name typed into a heading is masked there too.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from dashboard.ingest import normalise as nz

_NIK = re.compile(r"'?\s*\d(?:[\d\s.\-]*\d)?")
_NAME = re.compile(r"[A-Z][A-Za-z'.]*(?:\s+[A-Z][A-Za-z'.]*){1,4}")
# Kinds whose columns hold neither names nor free text: a name there was typed into the wrong column.
_NOT_FOR_NAMES = {"id", "date", "month", "decimal", "count", "sex", "measure", "yesno", "age", "zscore", "code"}
# Kinds whose columns hold dates that are not birth dates (measurement, referral, report month).
_DATE_KINDS = {"date", "month"}


def looks_like_nik(text: str) -> bool:
    """Fifteen to seventeen digits, however punctuated (a NIK has sixteen; Excel drops or adds one)."""
    text = text.strip()
    return bool(_NIK.fullmatch(text)) and 15 <= sum(ch.isdigit() for ch in text) <= 17


@lru_cache(maxsize=4096)
def looks_like_date(text: str) -> bool:
    """A text ``normalise.parse_date`` reads as a date; every form it reads has a digit, so a heading
    without one is answered without the parser (imports check every heading of every file)."""
    text = text.strip()
    return any(ch.isdigit() for ch in text) and nz.parse_date(pd.Series([text])).values.iloc[0] is not None


def looks_like_name(text: str) -> bool:
    """Two to five capitalised words of letters only, as people's names are written."""
    return bool(_NAME.fullmatch(text.strip()))


def masked(text: str) -> str:
    return f"*** ({len(text)} karakter disamarkan / characters masked)"


def shown_values(values: pd.Series, personal: bool, kind: str | None) -> pd.Series:
    """Cells of one heading as a reject may show them: masked when the column is personal or a cell looks
    personal. ``kind`` is the column's kind (None for a heading the dataset does not use); a date in a
    column of dates that are not personal (measured on, referred on) is shown, any other date is masked."""
    present = values.notna()
    text = values.where(present).astype("string").fillna("")
    mask = pd.Series(personal, index=values.index) | nik_in(text)
    if kind in _NOT_FOR_NAMES:
        mask |= text.str.strip().str.fullmatch(_NAME.pattern).fillna(False).astype(bool)
    if not (kind in _DATE_KINDS and not personal):
        mask |= pd.Series([v is not None for v in nz.parse_date(text.str.strip().astype(object)).values],
                          index=values.index)
    shown = text.str.slice(0, 200).astype(object)
    masked_text = text.map(masked).astype(object)
    return shown.where(~mask, masked_text).where(present, None)


def shown_heading(heading: str, known: bool) -> str:
    """A heading as messages and stored batches show it; an unknown heading that looks personal is masked."""
    if looks_like_nik(heading) or looks_like_date(heading) or (not known and looks_like_name(heading)):
        return masked(heading)
    return heading


def nik_in(values: pd.Series) -> pd.Series:
    """Cells of a column that look like a NIK (each distinct text checked once: exports repeat names)."""
    codes, uniques = nz.factorized(values)
    text = pd.Series(uniques, dtype="string").str.strip()
    digits = text.str.count(r"\d")
    hit = (text.str.fullmatch(_NIK.pattern) & digits.between(15, 17)).fillna(False).to_numpy(dtype=bool)
    return pd.Series(np.append(hit, False)[codes], index=values.index)  # code -1 (empty) is never a NIK
