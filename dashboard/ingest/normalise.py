"""Value normalisers: export text in, canonical values plus a per-cell error code out.

Every normaliser takes a pandas Series of stripped strings (None/"" for empty cells) and
returns ``Parsed(values, errors)``: ``errors`` holds a code from ``REASONS`` where a non-empty
cell could not be understood, else None. Empty cells are never errors here; required-ness is
checked by the loader. All work is vectorised over the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import wraps
from datetime import date

import numpy as np
import pandas as pd

from dashboard.ingest import vocab
from dashboard.regions import name_key

# Reason code -> (Indonesian, English). {value}-free on purpose: values go in their own column.
REASONS: dict[str, tuple[str, str]] = {
    "required": ("kolom wajib kosong", "required column is empty"),
    "date_format": ("tanggal tidak dikenali (pakai dd/mm/yyyy atau yyyy-mm-dd)",
                    "date not recognised (use dd/mm/yyyy or yyyy-mm-dd)"),
    "date_invalid": ("tanggal tidak ada di kalender", "date does not exist in the calendar"),
    "month_format": ("bulan tidak dikenali (contoh: 'Januari 2025', '2025-01', '01/2025')",
                     "month not recognised (e.g. 'Januari 2025', '2025-01', '01/2025')"),
    "month_no_year": ("bulan tanpa tahun dan tidak ada kolom Tahun", "month without a year and no Tahun column"),
    "number_format": ("bukan angka", "not a number"),
    "count_format": ("bukan bilangan bulat >= 0", "not a whole number >= 0"),
    "sex_value": ("jenis kelamin tidak dikenali (L/P, 1/2)", "sex not recognised (L/P, 1/2)"),
    "measure_value": ("cara ukur tidak dikenali (Terlentang/L atau Berdiri/H)",
                      "measurement method not recognised (Terlentang/L or Berdiri/H)"),
    "yesno_value": ("isian ya/tidak tidak dikenali", "yes/no value not recognised"),
    "vocab_value": ("nilai tidak ada dalam daftar kode", "value is not in the list of accepted codes"),
    "id_scientific": ("NIK/ID rusak oleh Excel (notasi ilmiah, digit hilang)",
                      "NIK/id mangled by Excel (scientific notation, digits lost)"),
    "id_zero_serial": ("NIK berakhiran 0000: digit hilang karena Excel", "NIK ends in 0000: digits lost in Excel"),
    "code_format": ("kode wilayah tidak dikenali (contoh 36.01.01.2001 atau 3601012001)",
                    "region code not recognised (e.g. 36.01.01.2001 or 3601012001)"),
    "code_bps": ("kode desa bukan kode Kemendagri (kemungkinan kode BPS)",
                 "village code is not a Kemendagri code (looks like a BPS code)"),
}

_MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "pebruari": 2, "february": 2,
    "mar": 3, "maret": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6, "juni": 6,
    "june": 6, "jul": 7, "juli": 7, "july": 7, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "agustus": 8,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10,
    "october": 10, "nov": 11, "nop": 11, "november": 11, "nopember": 11, "des": 12, "desember": 12,
    "dec": 12, "december": 12,
}
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


@dataclass
class Parsed:
    values: pd.Series
    errors: pd.Series  # reason code or None


def factorized(raw: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(codes, distinct values as Python objects) of a column; code -1 for an empty cell. An
    Arrow-backed column is factorized by Arrow itself, without a Python string per cell."""
    codes, uniques = pd.factorize(raw if isinstance(raw.dtype, pd.StringDtype) else raw.astype(object),
                                  use_na_sentinel=True)
    return codes, np.asarray(uniques, dtype=object)


def map_unique(raw: pd.Series, function, empty=None) -> pd.Series:
    """``function`` of each distinct cell, computed once per distinct value (``empty`` for empty cells)."""
    codes, uniques = factorized(raw)
    once = np.array([function(u) for u in uniques] + [empty], dtype=object)
    return pd.Series(once[codes], index=raw.index, dtype=object)


def by_unique(parse):
    """Parse each distinct cell text once: exports repeat dates, weights and names a lot."""

    @wraps(parse)
    def wrapper(raw: pd.Series, *args, **kwargs) -> Parsed:
        codes, uniques = factorized(raw)
        if len(uniques) * 2 > len(raw):
            return parse(raw, *args, **kwargs)
        once = parse(pd.Series(uniques, dtype=object), *args, **kwargs)
        missing = codes < 0
        safe = np.where(missing, 0, codes)
        values = once.values.take(safe) if len(uniques) else pd.Series([None] * len(raw), dtype=object)
        values = pd.Series(values.array, index=raw.index, dtype=values.dtype)  # the parser's dtype, no conversion
        errors = pd.Series(once.errors.to_numpy(dtype=object)[safe] if len(uniques) else None,
                           index=raw.index, dtype=object)
        if missing.any():
            values = values.where(~missing, None if values.dtype == object else np.nan)
            errors[missing] = None
        return Parsed(values, errors)

    return wrapper


def _errors_where(mask: pd.Series, code: str) -> pd.Series:
    return pd.Series(np.where(mask, code, None), index=mask.index, dtype=object)


def _present(raw: pd.Series) -> pd.Series:
    return raw.notna() & (raw.astype("string").str.len() > 0)


@by_unique
def parse_text(raw: pd.Series) -> Parsed:
    values = raw.astype("string").str.replace(r"\s+", " ", regex=True).str.strip()
    values = values.mask(values == "", pd.NA)
    return Parsed(values.astype(object).where(values.notna(), None), _errors_where(pd.Series(False, index=raw.index), ""))


@by_unique
def parse_id(raw: pd.Series) -> Parsed:
    """Identifiers (NIK, child or referral id): kept as text; Excel damage is flagged, never repaired."""
    text = raw.astype("string").str.strip().str.replace(r"^'", "", regex=True)
    text = text.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    scientific = text.str.match(r"^\d+([.,]\d+)?[eE][+-]?\d+$").fillna(False)
    zero_serial = text.str.match(r"^\d{12}0000$").fillna(False)
    errors = _errors_where(scientific, "id_scientific").where(scientific, _errors_where(zero_serial, "id_zero_serial"))
    keep = _present(text) & ~scientific & ~zero_serial
    values = text.where(keep)  # kept as Arrow strings: no Python object per cell
    return Parsed(values, errors)


def normalise_code(text: str) -> tuple[str | None, str | None]:
    """One region code in any export form -> (dotted Kemendagri code, error code)."""
    cleaned = re.sub(r"[\s.\-_/]", "", re.sub(r"\.0+$", "", str(text).strip()))
    if not cleaned.isdigit() or len(cleaned) not in (2, 4, 6, 10):
        return None, "code_format"
    parts = [cleaned[:2], cleaned[2:4], cleaned[4:6], cleaned[6:10]]
    parts = [p for p in parts if p]
    if len(parts) == 4 and parts[3][0] not in "12":
        return None, "code_bps"
    return ".".join(parts), None


@by_unique
def parse_code(raw: pd.Series) -> Parsed:
    present = _present(raw)
    uniques = pd.unique(raw[present].astype(str))
    lookup = {u: normalise_code(u) for u in uniques}
    values = raw.astype(object).map(lambda v: lookup[str(v)][0] if str(v) in lookup else None)
    errors = raw.astype(object).map(lambda v: lookup[str(v)][1] if str(v) in lookup else None)
    return Parsed(values.where(present, None), errors.where(present, None))


def _dates_from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """Dates from numbers; a year outside 1000-9999 (a Python date's range, e.g. 99999) is no date."""
    frame = pd.DataFrame({"year": year, "month": month, "day": day}).astype("float64")
    frame["year"] = frame["year"].where(frame["year"].between(1000, 9999))
    return pd.to_datetime(frame, errors="coerce")


# One plain layout a whole column often uses (exports write dd/mm/yyyy; Excel dates arrive as yyyy-mm-dd):
# such a column is read in one pass. The years are bounded so that the result is the general parser's.
_PLAIN_DATES = ((r"^\d{2}/\d{2}/\d{4}$", "%d/%m/%Y"), (r"^\d{4}-\d{2}-\d{2}$", "%Y-%m-%d"))


def _plain_dates(raw: pd.Series) -> Parsed | None:
    """``parse_date`` of a column whose every cell has one of ``_PLAIN_DATES``' layouts; None otherwise."""
    text = raw.astype("string").str.strip()
    present = _present(raw)
    for pattern, layout in _PLAIN_DATES:
        if not (text.str.match(pattern) | ~present).all():
            continue
        years = pd.to_numeric(text.str.slice(6, 10) if layout.startswith("%d") else text.str.slice(0, 4))
        if not years[present].between(1900, 2200).all():
            return None
        parsed = pd.to_datetime(text.where(present), format=layout, errors="coerce")
        values = parsed.dt.date.astype(object).where(parsed.notna(), None)
        return Parsed(values, _errors_where(present & parsed.isna(), "date_invalid"))
    return None


@by_unique
def parse_date(raw: pd.Series) -> Parsed:
    """dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd[ time], '5 Januari 2025' and Excel serials."""
    plain = _plain_dates(raw)
    if plain is not None:
        return plain
    text = raw.astype("string").str.strip().str.lower()
    year = pd.Series(np.nan, index=raw.index)
    month = year.copy()
    day = year.copy()

    iso = text.str.extract(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
    dmy = text.str.extract(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})$")
    named = text.str.extract(r"^(\d{1,2})[\s\-]+([a-z]+)\.?[\s\-]+(\d{4})$")
    serial = text.str.extract(r"^(\d{5})(?:\.0+)?$")[0].astype("float64")

    for parts, order in ((iso, (0, 1, 2)), (dmy, (2, 1, 0))):
        hit = parts[0].notna()
        year = year.where(~hit, parts[order[0]].astype("float64"))
        month = month.where(~hit, parts[order[1]].astype("float64"))
        day = day.where(~hit, parts[order[2]].astype("float64"))
    short_year = dmy[2].notna() & (dmy[2].str.len() == 2)
    year = year.where(~short_year, 2000 + year)
    named_month = named[1].map(_MONTHS)
    hit = named[0].notna() & named_month.notna()
    year = year.where(~hit, named[2].astype("float64"))
    month = month.where(~hit, named_month.astype("float64"))
    day = day.where(~hit, named[0].astype("float64"))

    parsed = _dates_from_parts(year, month, day)
    serial_ok = serial.between(20000, 80000)
    parsed = parsed.where(~serial_ok, _EXCEL_EPOCH + pd.to_timedelta(serial.where(serial_ok), unit="D"))

    present = _present(raw)
    matched = year.notna() | serial_ok
    errors = _errors_where(present & ~matched, "date_format")
    errors = errors.where(~(present & matched & parsed.isna()), "date_invalid")
    values = parsed.dt.date.astype(object).where(parsed.notna(), None)
    return Parsed(values, errors)


def parse_month(raw: pd.Series, year_raw: pd.Series | None = None, year_alone_is_january: bool = False) -> Parsed:
    """Parse each distinct (month, year) pair once; see ``_parse_month``."""
    month_codes = factorized(raw)[0]
    year_codes = factorized(year_raw)[0] if year_raw is not None else np.zeros(len(raw), dtype="int64")
    pair_codes = (month_codes.astype("int64") + 1) * (int(year_codes.max(initial=-1)) + 2) + year_codes + 1
    _, first, codes = np.unique(pair_codes, return_index=True, return_inverse=True)
    if len(first) * 2 > len(raw):
        return _parse_month(raw, year_raw, year_alone_is_january)
    once = _parse_month(raw.iloc[first].reset_index(drop=True),
                        year_raw.iloc[first].reset_index(drop=True) if year_raw is not None else None,
                        year_alone_is_january)
    return Parsed(pd.Series(once.values.to_numpy()[codes], index=raw.index),
                  pd.Series(once.errors.to_numpy(dtype=object)[codes], index=raw.index, dtype=object))


def _parse_month(raw: pd.Series, year_raw: pd.Series | None = None, year_alone_is_january: bool = False) -> Parsed:
    """A reporting month -> first day of that month. A bare month name or number needs a year column.

    Yearly recaps (PKK) may give only a year: with ``year_alone_is_january`` that is January.
    """
    text = raw.astype("string").str.strip().str.lower()
    year = pd.Series(np.nan, index=raw.index)
    month = year.copy()
    patterns = (
        (r"^(\d{4})[-/.](\d{1,2})$", 0, 1),
        (r"^(\d{1,2})[-/.](\d{4})$", 1, 0),
    )
    for pattern, y, m in patterns:
        parts = text.str.extract(pattern)
        hit = parts[0].notna()
        year = year.where(~hit, parts[y].astype("float64"))
        month = month.where(~hit, parts[m].astype("float64"))
    named = text.str.extract(r"^([a-z]+)\.?[\s\-/']*(\d{4}|\d{2})?$")
    named_month = named[0].map(_MONTHS)
    hit = named_month.notna()
    month = month.where(~hit, named_month.astype("float64"))
    named_year = named[1].astype("float64")
    named_year = named_year.where(named_year >= 100, 2000 + named_year)
    year = year.where(~hit, named_year)
    bare_number = text.str.match(r"^\d{1,2}$").fillna(False)
    month = month.where(~bare_number, text.where(bare_number).astype("float64"))

    as_date = parse_date(raw)
    dated = pd.Series([v is not None for v in as_date.values], index=raw.index)
    as_ts = pd.to_datetime(pd.Series(as_date.values, index=raw.index).where(dated), errors="coerce")
    year = year.where(~(dated & month.isna()), as_ts.dt.year)
    month = month.where(~(dated & month.isna()), as_ts.dt.month)

    if year_raw is not None:
        extra_year = parse_count(year_raw).values.astype("float64")
        year = year.where(year.notna(), extra_year)
    present = _present(raw)
    parsed = _dates_from_parts(year, month, pd.Series(1.0, index=raw.index))
    errors = _errors_where(present & month.isna(), "month_format")
    errors = errors.where(~(present & month.notna() & year.isna()), "month_no_year")
    errors = errors.where(~(present & month.notna() & year.notna() & parsed.isna()), "month_format")
    # A yearly recap written only as a year (no month column) becomes January of that year.
    if year_raw is not None and year_alone_is_january:
        only_year = ~present & year.notna()
        parsed = parsed.where(~only_year, _dates_from_parts(year, pd.Series(1.0, index=raw.index),
                                                            pd.Series(1.0, index=raw.index)))
    values = parsed.dt.date.astype(object).where(parsed.notna(), None)
    return Parsed(values, errors)


@by_unique
def parse_decimal(raw: pd.Series) -> Parsed:
    """'9,5', '9.5', '1.234,5' and '1,234.5' -> float; anything else is an error."""
    text = raw.astype("string").str.strip().str.replace(" ", "", regex=False)
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    comma_decimal = both & (text.str.rfind(",") > text.str.rfind("."))
    text = text.where(~(both & comma_decimal), text.str.replace(".", "", regex=False))
    text = text.where(~(both & ~comma_decimal), text.str.replace(",", "", regex=False))
    text = text.str.replace(",", ".", regex=False)
    values = pd.to_numeric(text.where(text.str.match(r"^[+-]?(\d+\.?\d*|\.\d+)$").fillna(False)), errors="coerce")
    present = _present(raw)
    errors = _errors_where(present & values.isna(), "number_format")
    return Parsed(values.astype("float64"), errors)


@by_unique
def parse_count(raw: pd.Series) -> Parsed:
    """Whole numbers >= 0; '1.234' with a thousands dot is 1234, '12,0' is 12."""
    plain = pd.to_numeric(raw, errors="coerce") if raw.map(lambda v: isinstance(v, str) and v.isdigit()).all() else None
    if plain is not None:  # the common case: every cell is already a plain whole number
        return Parsed(plain.astype("Int64"), pd.Series(None, index=raw.index, dtype=object))
    text = raw.astype("string").str.strip().str.replace(" ", "", regex=False)
    thousands = text.str.match(r"^\d{1,3}([.,]\d{3})+$").fillna(False)
    text = text.where(~thousands, text.str.replace(r"[.,]", "", regex=True))
    text = text.str.replace(r"^(\d+)[.,]0+$", r"\1", regex=True)
    ok = text.str.match(r"^\d+$").fillna(False)
    values = pd.to_numeric(text.where(ok), errors="coerce")
    present = _present(raw)
    errors = _errors_where(present & values.isna(), "count_format")
    return Parsed(values.astype("Int64"), errors)


_AGE_PARTS = {"years": r"(\d+)\s*(?:tahun|thn|th|t)\b", "months": r"(\d+)\s*(?:bulan|bln|bl|b)\b",
              "days": r"(\d+)\s*(?:hari|hr|h)\b"}


@by_unique
def parse_age(raw: pd.Series) -> Parsed:
    """An age as e-PPGBM writes it ('2 Tahun - 3 Bulan - 5 Hari') -> days; unreadable is empty, not an error."""
    text = raw.astype("string").str.lower()
    parts = {name: text.str.extract(pattern)[0].astype("float64") for name, pattern in _AGE_PARTS.items()}
    found = parts["years"].notna() | parts["months"].notna() | parts["days"].notna()
    days = (parts["years"].fillna(0) * 365.25 + parts["months"].fillna(0) * 30.4375 + parts["days"].fillna(0)).round()
    values = days.where(found).astype("Int64")
    return Parsed(values, pd.Series(None, index=raw.index, dtype=object))


@by_unique
def parse_zscore(raw: pd.Series) -> Parsed:
    """A z-score an export reports ('-2,35'); unreadable is empty, not an error (ours is recomputed)."""
    return Parsed(parse_decimal(raw).values, pd.Series(None, index=raw.index, dtype=object))


def _parse_mapping(raw: pd.Series, mapping: dict[str, object], error: str) -> Parsed:
    keys = raw.astype("string").map(lambda v: name_key(v) if v is not None and v == v else None, na_action="ignore")
    values = keys.map(mapping)
    present = _present(raw)
    errors = _errors_where(present & values.isna(), error)
    return Parsed(values.astype(object).where(values.notna(), None), errors)


_SEX = {"l": 1, "lk": 1, "laki": 1, "lakilaki": 1, "1": 1, "m": 1, "male": 1, "pria": 1, "cowok": 1,
        "p": 2, "pr": 2, "perempuan": 2, "wanita": 2, "2": 2, "f": 2, "female": 2, "w": 2, "cewek": 2}
_MEASURE = {"l": "L", "terlentang": "L", "telentang": "L", "berbaring": "L", "baring": "L", "pb": "L",
            "panjang": "L", "panjangbadan": "L", "recumbent": "L", "lying": "L", "length": "L",
            "h": "H", "berdiri": "H", "tb": "H", "tinggi": "H", "tinggibadan": "H", "standing": "H",
            "height": "H"}
_YESNO = {"ya": True, "y": True, "yes": True, "1": True, "true": True, "v": True, "ada": True, "buka": True,
          "tidak": False, "tdk": False, "t": False, "n": False, "no": False, "0": False, "false": False,
          "tidakada": False, "tutup": False, "": None}


@by_unique
def parse_sex(raw: pd.Series) -> Parsed:
    parsed = _parse_mapping(raw, _SEX, "sex_value")
    return Parsed(parsed.values, parsed.errors)


@by_unique
def parse_measure(raw: pd.Series) -> Parsed:
    return _parse_mapping(raw, _MEASURE, "measure_value")


@by_unique
def parse_yesno(raw: pd.Series) -> Parsed:
    dashes = raw.astype("string").str.strip().isin(["-", "–"])
    parsed = _parse_mapping(raw.where(~dashes.fillna(False), "tidak"), _YESNO, "yesno_value")
    return parsed


def vocab_lookup(name: str) -> dict[str, str]:
    """Spelling key -> canonical code for a vocabulary of ``dashboard.ingest.vocab``."""
    table = getattr(vocab, name)
    lookup = {}
    for code, spellings in table.items():
        lookup[name_key(code)] = code
        for spelling in spellings:
            lookup[name_key(spelling)] = code
    return lookup


@by_unique
def parse_vocab(raw: pd.Series, name: str) -> Parsed:
    return _parse_mapping(raw, vocab_lookup(name), "vocab_value")


def today() -> date:
    return date.today()


REASONS.update({
    "region_missing": ("wilayah kosong: isi kode desa, atau nama kabupaten/kota, kecamatan dan desa",
                       "no region: give a village code, or kab/kota, kecamatan and desa names"),
    "region_unknown": ("nama wilayah tidak ditemukan di daftar Kemendagri", "region name not found in the Kemendagri list"),
    "region_ambiguous": ("nama wilayah ambigu (tulis 'Kab.' atau 'Kota', atau pakai kode desa)",
                         "region name is ambiguous (write 'Kab.' or 'Kota', or use the village code)"),
    "village_unknown": ("kode desa tidak ada di daftar Kemendagri", "village code not in the Kemendagri list"),
    "posyandu_missing": ("nama atau nomor registrasi posyandu kosong", "posyandu name or register number is empty"),
    "posyandu_register": ("nomor registrasi posyandu tidak dikenali (PP.KK.CC.DDDD.NNN)",
                          "posyandu register number not recognised (PP.KK.CC.DDDD.NNN)"),
    "posyandu_village": ("nomor registrasi posyandu milik desa lain", "posyandu register number belongs to another village"),
    "extra_cells": ("baris berisi sel di luar kolom berjudul", "row has cells beyond the headed columns"),
    "weight_range": ("berat badan di luar rentang wajar", "weight outside the plausible range"),
    "lenhei_range": ("panjang/tinggi badan di luar rentang wajar", "length/height outside the plausible range"),
    "muac_range": ("LiLA di luar rentang wajar", "MUAC outside the plausible range"),
    "no_measurement": ("tidak ada berat maupun panjang/tinggi badan", "neither weight nor length/height"),
    "date_future": ("tanggal di masa depan", "date is in the future"),
    "birth_after_measure": ("tanggal lahir sesudah tanggal ukur", "birth date after measurement date"),
    "too_old": ("umur lebih dari batas balita posyandu", "age above the posyandu under-five limit"),
    "status_date_missing": ("status tanpa tanggal status", "status without its date"),
    "status_date_order": ("tanggal status sebelum tanggal rujukan", "status date before the referral date"),
    "duplicate_conflict": ("kunci ganda dalam file dengan isi berbeda", "same key twice in the file with different values"),
    "count_range": ("angka terlalu besar (maksimum 2.147.483.647)", "number too large (at most 2,147,483,647)"),
    "nik_in_text": ("berisi angka seperti NIK di kolom nama (salah kolom?)",
                    "holds a NIK-like number in a name column (wrong column?)"),
    "formula_no_value": ("rumus tanpa nilai tersimpan (buka dan simpan ulang file di Excel)",
                         "formula without a saved value (open the file in Excel and save it again)"),
    # the posyandu register as an institution
    "registration_without_number": ("tanggal registrasi tanpa nomor registrasi Kemendagri",
                                    "registration date without a Kemendagri registration number"),
    "trained_over_cadres": ("kader terlatih lebih banyak dari jumlah kader bidang itu",
                            "more trained cadres than cadres in that field"),
    "programme_when": ("tahun program atau tanggal mulai kosong", "programme year or start date is empty"),
})
