"""Resolve stage: where a row belongs. The village code from a code or from names within their
parents, and the posyandu id from a register number or a name within the village.

Input: a validated ``ParsedChunk``. Output: a ``ResolvedChunk`` whose frame carries
``village_code`` and (for datasets that link a posyandu) ``posyandu_id`` and ``register_no``.

Names are matched by ``regions.name_key`` inside their parent only; a name that matches no
region or more than one is an error, never a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

import duckdb
import numpy as np
import pandas as pd

from dashboard.ingest.normalise import factorized, map_unique
from dashboard.ingest.parse import ParsedChunk
from dashboard.regions import name_key, split_prefix


@dataclass
class Resolved:
    values: pd.Series         # resolved code per row, None where unresolved
    errors: pd.Series         # reason code per row or None
    error_column: pd.Series   # canonical column the error is about


class RegionIndex:
    """Name lookups over ``regions`` built once per import run."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        rows = con.execute("select code, level, kind, parent_code, name_key from regions").fetchall()
        self.codes = {code: level for code, level, _, _, _ in rows}
        self.children: dict[tuple[str | None, str], list[tuple[str, str | None]]] = defaultdict(list)
        self.kabkota_by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for code, level, kind, parent, key in rows:
            self.children[(parent, key)].append((code, kind))
            if level == "kabkota":
                self.kabkota_by_key[key].append((code, kind))

    def is_village(self, code: str | None) -> bool:
        return self.codes.get(code) == "desa"

    def _one(self, candidates: list[tuple[str, str | None]], kind: str | None,
             strict_kind: bool = True) -> tuple[str | None, str | None]:
        """The single candidate; a written kind ('Kab.'/'Kota', 'Desa'/'Kel.') narrows the choice.

        With ``strict_kind`` a written kind that contradicts the only candidate is an error
        ('Kota Lebak' is not Kabupaten Lebak); villages are lenient because exports write
        'Desa' for kelurahan and the other way round, and status changes over time.
        """
        if kind and len(candidates) > 1:
            candidates = [c for c in candidates if c[1] == kind] or candidates
        elif kind and strict_kind:
            candidates = [c for c in candidates if c[1] in (kind, None)]
        if not candidates:
            return None, "region_unknown"
        if len(candidates) > 1:
            return None, "region_ambiguous"
        return candidates[0][0], None

    def by_names(self, province: str | None, kabkota: str | None, kecamatan: str | None,
                 desa: str | None) -> tuple[str | None, str | None, str]:
        """(village code, error code, column at fault) for one combination of names."""
        if not (kabkota and kecamatan and desa):
            missing = "kabkota_name" if not kabkota else "kecamatan_name" if not kecamatan else "desa_name"
            return None, "region_missing", missing
        province_code = None
        if province:
            digits = re.sub(r"\D", "", province)
            if digits and self.codes.get(digits) == "provinsi":
                province_code = digits
            else:
                code, error = self._one(self.children[(None, split_prefix(province, "provinsi")[1])], None)
                if error:
                    return None, error, "province_name"
                province_code = code
        kind, key = split_prefix(kabkota, "kabkota")
        candidates = self.kabkota_by_key[key]
        if province_code:
            candidates = [c for c in candidates if c[0].startswith(province_code + ".")]
        kab_code, error = self._one(candidates, kind)
        if error:
            return None, error, "kabkota_name"
        kec_code, error = self._one(self.children[(kab_code, split_prefix(kecamatan, "kecamatan")[1])], None)
        if error:
            return None, error, "kecamatan_name"
        kind, key = split_prefix(desa, "desa")
        village, error = self._one(self.children[(kec_code, key)], kind, strict_kind=False)
        if error:
            return None, error, "desa_name"
        return village, None, ""


def resolve_villages(index: RegionIndex, frame: pd.DataFrame, code_errors: pd.Series | None,
                     fallback: pd.Series | None = None) -> Resolved:
    """Village code per row from ``village_code`` (already normalised) or from the name columns.

    ``fallback`` (the village part of a posyandu register number) serves rows with neither.
    """
    n = len(frame)
    values = pd.Series([None] * n, index=frame.index, dtype=object)
    errors = pd.Series([None] * n, index=frame.index, dtype=object)
    columns = pd.Series([""] * n, index=frame.index, dtype=object)
    code = frame["village_code"] if "village_code" in frame else pd.Series([None] * n, index=frame.index)
    has_code = code.notna()
    if code_errors is not None:  # already reported by the parser; only keep names from being tried
        has_code |= code_errors.notna()
    known = map_unique(code, index.is_village, False).astype(bool)
    values[has_code & known] = code[has_code & known]
    unknown = code.notna() & ~known
    errors[unknown] = "village_unknown"
    columns[unknown] = "village_code"

    by_name = ~has_code
    if by_name.any():
        name_cols = ["province_name", "kabkota_name", "kecamatan_name", "desa_name"]
        names = pd.DataFrame({c: frame[c] if c in frame else None for c in name_cols}, index=frame.index)[by_name]
        combos = names.drop_duplicates()
        lookup = {tuple(r): index.by_names(*r) for r in combos.itertuples(index=False, name=None)}
        results = [lookup[tuple(r)] for r in names.itertuples(index=False, name=None)]
        values[by_name] = [r[0] for r in results]
        errors[by_name] = [r[1] for r in results]
        columns[by_name] = [r[2] for r in results]
    if fallback is not None:
        use = (errors == "region_missing") & fallback.notna() & ~names_given(frame)
        known_fallback = use & map_unique(fallback, index.is_village, False).astype(bool)
        values[known_fallback] = fallback[known_fallback]
        errors[use] = errors[use].where(~known_fallback[use], None)
        errors[use & ~known_fallback] = "village_unknown"
        columns[use] = "posyandu_register"
    return Resolved(values, errors, columns)


def names_given(frame: pd.DataFrame) -> pd.Series:
    """Rows that carry at least one region name."""
    given = pd.Series(False, index=frame.index)
    for column in ("province_name", "kabkota_name", "kecamatan_name", "desa_name"):
        if column in frame:
            given |= frame[column].notna()
    return given


@lru_cache(maxsize=65536)
def posyandu_key(name: str) -> str:
    """'Posyandu Melati 3' and 'MELATI 3' share a key."""
    return name_key(re.sub(r"^\s*(posyandu|psy|pos)\b\.?", "", str(name), flags=re.IGNORECASE))


def normalise_register(text: str) -> str | None:
    """PP.KK.CC.DDDD.NNN in any punctuation -> dotted form, or None if it is not one."""
    digits = re.sub(r"[\s.\-_/]", "", str(text))
    if not re.fullmatch(r"\d{13}", digits) or digits[6] not in "12":
        return None
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:10]}.{digits[10:]}"


def register_numbers(frame: pd.DataFrame) -> Resolved:
    """Normalised posyandu register numbers (PP.KK.CC.DDDD.NNN) where the export gives them."""
    errors = pd.Series(None, index=frame.index, dtype=object)
    where = pd.Series("posyandu_register", index=frame.index, dtype=object)
    if "posyandu_register" not in frame:
        return Resolved(errors.copy(), errors, where)
    raw = frame["posyandu_register"]
    values = map_unique(raw, normalise_register)
    errors[raw.notna() & values.isna()] = "posyandu_register"
    return Resolved(values, errors, where)


def posyandu_ids(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame,
                 registers: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(posyandu_id, register-village mismatch) per row.

    A register number is the id; a bare name is looked up among the posyandu already known in
    that village (so importing the register first links names to numbers), else it gets the
    id ``<village>/<name key>``.
    """
    villages = frame["village_code"]
    ids = registers.copy()
    mismatch = registers.notna() & villages.notna() & (registers.str[:13] != villages)
    names = frame["posyandu_name"] if "posyandu_name" in frame else pd.Series(None, index=frame.index, dtype=object)
    by_name = registers.isna() & names.notna() & villages.notna()
    if by_name.any():
        known = con.execute("select village_code, name, posyandu_id from posyandu").df()
        lookup = {(v, posyandu_key(nm)): pid for v, nm, pid in known.itertuples(index=False, name=None) if nm}
        village_codes, village_uniques = factorized(villages[by_name])
        name_codes, name_uniques = factorized(names[by_name])
        name_keys = [posyandu_key(n) for n in name_uniques]
        pair_codes = village_codes.astype("int64") * len(name_uniques) + name_codes
        _, first, inverse = np.unique(pair_codes, return_index=True, return_inverse=True)  # each pair once
        pair_villages = village_uniques[village_codes[first]]
        once = np.array([lookup.get((village, name_keys[n]), f"{village}/{name_keys[n]}")
                         for village, n in zip(pair_villages, name_codes[first])], dtype=object)
        ids[by_name] = once[inverse]
    return ids, mismatch.fillna(False).astype(bool)


@dataclass
class ResolvedChunk:
    parsed: ParsedChunk
    frame: pd.DataFrame     # the parsed frame with village_code (and posyandu_id, register_no) resolved


def resolve_chunk(con: duckdb.DuckDBPyConnection, index: RegionIndex, parsed: ParsedChunk) -> ResolvedChunk:
    """Village and posyandu of every row; what cannot be resolved is a problem of that row."""
    mapped, frame, problems = parsed.mapped, parsed.frame.copy(), parsed.problems
    code_errors = None
    if "village_code" in mapped.positions:
        code_errors = pd.Series(None, index=frame.index, dtype=object)
        reported = problems.frame()
        reported = reported[reported.heading == mapped.heading("village_code")]
        code_errors.iloc[reported.pos.to_numpy()] = reported.code.to_numpy()
    register = register_numbers(frame)
    problems.add(register.errors, mapped.heading("posyandu_register"))
    fallback = register.values.str[:13] if register.values.notna().any() else None  # none: nothing to fall back on
    villages = resolve_villages(index, frame, code_errors, fallback=fallback)
    problems.add(villages.errors, map_unique(villages.error_column, mapped.region_heading))
    frame["village_code"] = villages.values
    if mapped.dataset.links_posyandu:
        ids, mismatch = posyandu_ids(con, frame, register.values)
        problems.add_mask(mismatch, mapped.heading("posyandu_register"), "posyandu_village")
        frame["posyandu_id"] = ids.where(~mismatch, None)
        frame["register_no"] = register.values
        if mapped.dataset.requires_posyandu:
            missing = ids.isna() & register.errors.isna()
            problems.add_mask(missing, mapped.heading("posyandu_name"), "posyandu_missing")
    return ResolvedChunk(parsed, frame)
