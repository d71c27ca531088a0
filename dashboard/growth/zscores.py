"""Vectorised WHO 2006 z-scores (HAZ, WAZ, WHZ, BAZ) with the WHO rules of domain.md.

Every rule works on whole columns; there is no loop per record. Rules, in the order applied:
- age in days 0..1826 only (older or negative: no age-based z-score);
- a child under 9 months (days / 30.4375 < 9) recorded standing is a recording error: the method
  is treated as unknown (no adjustment) and ``measure_error`` is set;
- length below 731 days, height from 731 days: +0.7 cm when a child under 731 days was measured
  standing, -0.7 cm when a child of 731 days or more was measured lying; unknown method or
  unknown age: no adjustment;
- HAZ uses the plain LMS formula; WAZ, WHZ and BAZ the WHO restricted formula beyond |z| > 3;
- WHZ: weight-for-length table below 731 days (45-110 cm), weight-for-height from 731 days
  (65-120 cm), on the adjusted length; with age unknown the recorded method picks the table, and
  with neither, below 87 cm is length and from 87 cm height (as WHO's anthro R package does);
  L, M and S are interpolated linearly between the 0.1 cm grid points at and above the value;
- oedema: no weight-based z-score (prevalence counts the child as below -3 elsewhere);
- WHO's input cleaning: weight outside 0.9-58 kg or length/height outside 38-150 cm is unusable;
- flags: |HAZ| > 6, WAZ < -6 or > 5, |WHZ| > 5, |BAZ| > 5, judged on the z-score rounded to two
  decimals as WHO's output is.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from dashboard.growth.who_tables import LmsTable, table

DAYS_PER_MONTH = 30.4375
MAX_AGE_DAYS = 1826
LENGTH_UNTIL_DAYS = 731
ADJUSTMENT_CM = 0.7
WEIGHT_KG_RANGE = (0.9, 58.0)
LENHEI_CM_RANGE = (38.0, 150.0)
WFL_RANGE = (45.0, 110.0)
WFH_RANGE = (65.0, 120.0)
UNKNOWN_METHOD_SPLIT_CM = 87.0
METHOD_CODES = {"L": 1, "H": 2}
LYING, STANDING = 1, 2
FLAG_LIMITS = {"haz": (-6.0, 6.0), "waz": (-6.0, 5.0), "whz": (-5.0, 5.0), "baz": (-5.0, 5.0)}


def _as_float(values) -> np.ndarray:
    array = np.asarray(values)
    if array.dtype.kind in "iuf":
        return array.astype("float64", copy=False)
    return pd.to_numeric(pd.Series(array.astype(object)), errors="coerce").to_numpy(dtype="float64")


def _as_measure(values) -> np.ndarray:
    """Method codes: 1 'L' (lying), 2 'H' (standing), 0 unknown; any case, spaces ignored."""
    array = np.asarray(values)
    if array.dtype.kind != "U":
        codes, uniques = pd.factorize(array.astype(object, copy=False), use_na_sentinel=True)
        spelled = [str(u).strip().upper() if isinstance(u, str) else "" for u in uniques]
        lookup = np.array([METHOD_CODES.get(v, 0) for v in spelled] + [0], dtype=np.int8)
        return lookup[codes]  # code -1 (missing) picks the trailing 0
    array = np.char.upper(np.char.strip(array))
    return np.where(array == "L", 1, np.where(array == "H", 2, 0)).astype(np.int8)


def _as_flag(values) -> np.ndarray:
    """Oedema as bool: True, 1, 'y', 'ya', 'yes' are yes; everything else no."""
    array = np.asarray(values)
    if array.dtype == bool:
        return array
    text = pd.Series(array.astype(object)).astype("string").str.strip().str.lower()
    return text.isin(["true", "1", "y", "ya", "yes"]).fillna(False).to_numpy(dtype=bool)


def lms_z(x: np.ndarray, l: np.ndarray, m: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The plain LMS z-score; L == 0 uses the log form."""
    with np.errstate(all="ignore"):
        small = np.abs(l) < 1e-12
        if not small.any():
            return (np.power(x / m, l) - 1.0) / (l * s)
        safe_l = np.where(small, 1.0, l)
        return np.where(small, np.log(x / m) / s, (np.power(x / m, safe_l) - 1.0) / (safe_l * s))


def _sd(k: float, l: np.ndarray, m: np.ndarray, s: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        small = np.abs(l) < 1e-12
        safe_l = np.where(small, 1.0, l)
        return np.where(small, m * np.exp(s * k), m * np.power(1.0 + safe_l * s * k, 1.0 / safe_l))


def restricted_z(x: np.ndarray, l: np.ndarray, m: np.ndarray, s: np.ndarray) -> np.ndarray:
    """WHO's restricted formula for weight-based indicators: linear beyond +/-3 SD."""
    z = lms_z(x, l, m, s)
    for side, beyond in ((3.0, z > 3), (-3.0, z < -3)):
        at = np.flatnonzero(beyond)
        if len(at):
            lo, mo, so, xo = l[at], m[at], s[at], x[at]
            sd3, sd2 = _sd(side, lo, mo, so), _sd(side - np.sign(side), lo, mo, so)
            z[at] = side + (xo - sd3) / np.abs(sd3 - sd2)
    return z


def _on(usable: np.ndarray, compute) -> np.ndarray:
    """Run ``compute(index)`` only on the usable rows; NaN elsewhere."""
    out = np.full(usable.shape, np.nan)
    index = np.flatnonzero(usable)
    if len(index):
        out[index] = compute(index)
    return out


def _by_age(t: LmsTable, sex_row: np.ndarray, age: np.ndarray, index: np.ndarray):
    """L, M, S at whole days of age for the rows ``index``."""
    row, day = sex_row[index], age[index].astype(np.int64)
    return t.l[row, day], t.m[row, day], t.s[row, day]


def _by_length(t: LmsTable, sex_row: np.ndarray, cm: np.ndarray, index: np.ndarray):
    """L, M, S interpolated between the 0.1 cm grid points at/below and above the value."""
    value = cm[index]
    tenths = np.floor(np.round(value * 10.0, 6))  # 70.3 * 10 = 702.999... must be 703
    low = np.clip((tenths - round(t.start * 10)).astype(np.int64), 0, t.size - 1)
    high = np.minimum(low + 1, t.size - 1)
    fraction = np.clip((value - tenths / 10.0) / 0.1, 0.0, 1.0)
    row = sex_row[index]
    return tuple(arr[row, low] + fraction * (arr[row, high] - arr[row, low]) for arr in (t.l, t.m, t.s))


def age_in_days(birth_date, measured_on) -> np.ndarray:
    """Whole days between two date columns (NaN where either is missing)."""
    born = pd.to_datetime(pd.Series(np.asarray(birth_date, dtype=object)), errors="coerce")
    measured = pd.to_datetime(pd.Series(np.asarray(measured_on, dtype=object)), errors="coerce")
    return (measured - born).dt.days.to_numpy(dtype="float64")


def compute_zscores(sex, age_days, weight_kg, lenhei_cm, measure, oedema, chunk_rows: int = 262_144) -> pd.DataFrame:
    """All four z-scores, flags and the adjusted length/height for whole columns of records.

    Inputs are array-likes of equal length: sex 1 (male) / 2 (female), age in days (NaN if
    unknown), weight in kg, length/height in cm, measure 'L'/'H'/None, oedema yes/no. Large
    inputs are cut into chunks computed on a thread per core (NumPy releases the GIL).
    """
    columns = (_as_float(sex), _as_float(age_days), _as_float(weight_kg), _as_float(lenhei_cm),
               _as_measure(measure), _as_flag(oedema))
    n = len(columns[0])
    out: dict[str, np.ndarray] = {}

    def fill(bound: tuple[int, int]) -> None:
        part = _compute(*(c[bound[0]:bound[1]] for c in columns))
        for name, values in part.items():
            if name not in out:  # first chunk allocates; dict writes are atomic under the GIL
                out.setdefault(name, np.empty(n, dtype=values.dtype))
            out[name][bound[0]:bound[1]] = values

    bounds = [(start, min(start + chunk_rows, n)) for start in range(0, n, chunk_rows)] or [(0, 0)]
    with ThreadPoolExecutor(max_workers=min(len(bounds), os.cpu_count() or 1)) as pool:
        list(pool.map(fill, bounds))
    frame = pd.DataFrame({k: v for k, v in out.items() if k != "measure_used"}, copy=False)
    # 'L', 'H', or '' when unknown (including a child under 9 months recorded standing)
    frame.insert(1, "measure_used", pd.Categorical.from_codes(out["measure_used"], ["", "L", "H"]))
    return frame


def _compute(sex_f, age, weight, lenhei, method, has_oedema) -> dict[str, np.ndarray]:
    sex_ok = np.isin(sex_f, (1.0, 2.0))
    sex_row = np.where(sex_ok, sex_f - 1, 0).astype(np.int64)
    age = np.where(np.isfinite(age) & (age == np.floor(age)), age, np.nan)
    age_ok = (age >= 0) & (age <= MAX_AGE_DAYS)
    weight = np.where((weight >= WEIGHT_KG_RANGE[0]) & (weight <= WEIGHT_KG_RANGE[1]), weight, np.nan)
    lenhei = np.where((lenhei >= LENHEI_CM_RANGE[0]) & (lenhei <= LENHEI_CM_RANGE[1]), lenhei, np.nan)

    measure_error = (method == STANDING) & np.isfinite(age) & (age / DAYS_PER_MONTH < 9)
    method = np.where(measure_error, 0, method)
    known_age = np.isfinite(age)
    young = known_age & (age < LENGTH_UNTIL_DAYS)
    old = known_age & (age >= LENGTH_UNTIL_DAYS)
    adjusted = lenhei + np.where(young & (method == STANDING), ADJUSTMENT_CM, 0.0) \
                      - np.where(old & (method == LYING), ADJUSTMENT_CM, 0.0)

    # HAZ: length/height-for-age, plain formula
    haz = _on(sex_ok & age_ok & np.isfinite(adjusted),
              lambda i: lms_z(adjusted[i], *_by_age(table("lhfa"), sex_row, age, i)))
    # WAZ: weight-for-age, restricted, not with oedema
    waz = _on(sex_ok & age_ok & np.isfinite(weight) & ~has_oedema,
              lambda i: restricted_z(weight[i], *_by_age(table("wfa"), sex_row, age, i)))
    # BAZ: BMI-for-age on the adjusted length/height, restricted, not with oedema
    with np.errstate(all="ignore"):
        bmi = weight / np.square(adjusted / 100.0)
    baz = _on(sex_ok & age_ok & np.isfinite(bmi) & ~has_oedema,
              lambda i: restricted_z(bmi[i], *_by_age(table("bfa"), sex_row, age, i)))

    # WHZ: weight-for-length below 731 days, weight-for-height from 731 days
    unknown_age = ~known_age
    no_method = unknown_age & (method == 0)
    use_length = young | (unknown_age & (method == LYING)) | (no_method & (adjusted < UNKNOWN_METHOD_SPLIT_CM))
    use_height = old | (unknown_age & (method == STANDING)) | (no_method & (adjusted >= UNKNOWN_METHOD_SPLIT_CM))
    base = sex_ok & (unknown_age | age_ok) & np.isfinite(weight) & np.isfinite(adjusted) & ~has_oedema
    on_wfl = base & use_length & (adjusted >= WFL_RANGE[0]) & (adjusted <= WFL_RANGE[1])
    on_wfh = base & use_height & (adjusted >= WFH_RANGE[0]) & (adjusted <= WFH_RANGE[1])
    whz = _on(on_wfl, lambda i: restricted_z(weight[i], *_by_length(table("wfl"), sex_row, adjusted, i)))
    whz = np.where(on_wfh, _on(on_wfh, lambda i: restricted_z(weight[i], *_by_length(table("wfh"), sex_row,
                                                                                          adjusted, i))), whz)

    out = {
        "lenhei_adj_cm": adjusted,
        "measure_used": method,
        "measure_error": measure_error,
        "oedema": has_oedema,
        "haz": haz, "waz": waz, "whz": whz, "baz": baz,
    }
    for name, (low, high) in FLAG_LIMITS.items():
        rounded = np.round(out[name], 2)
        out[f"flag_{name}"] = np.isfinite(rounded) & ((rounded < low) | (rounded > high))
    return out
