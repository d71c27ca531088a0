"""``python -m dashboard zscores IN.csv --out OUT.csv``: WHO-Anthro-style batch z-scores.

Reads columns sex (1/2, L/P, M/F), age_days (or birth_date and measured_on), weight_kg,
lenhei_cm, measure (L/H/blank) and oedema (y/n/blank); writes every input column back with
haz, waz, whz, baz (2 decimals, blank where not computable), flag_* (1/0) and a reason column
saying why a z-score is blank. A bad row never stops the run.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import export
from dashboard.growth.zscores import MAX_AGE_DAYS, age_in_days, compute_zscores
from dashboard.ingest import normalise as nz

INDICATORS = ("haz", "waz", "whz", "baz")


def _read(path: Path) -> pd.DataFrame:
    text = path.read_bytes()
    encoding = "utf-8-sig"
    try:
        text.decode(encoding)
    except UnicodeDecodeError:
        encoding = "cp1252"
    first = text.split(b"\n", 1)[0].decode(encoding, errors="replace")
    delimiter = max([",", ";", "\t"], key=first.count)
    frame = pd.read_csv(path, sep=delimiter, dtype=str, keep_default_na=False, encoding=encoding)
    frame.columns = [c.strip() for c in frame.columns]
    return frame


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame:
        values = frame[name].astype("string").str.strip()
        return values.where(values != "", None)
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _reasons(frame: pd.DataFrame, sex, age, weight, lenhei, z: pd.DataFrame) -> pd.Series:
    """Why each blank z-score is blank, in English and Indonesian."""
    reasons = [[] for _ in range(len(frame))]

    def add(mask, text):
        for i in np.flatnonzero(np.asarray(mask, dtype=bool)):
            reasons[i].append(text)

    add(~np.isin(sex, (1, 2)), "sex missing or not 1/2, L/P, M/F / jenis kelamin kosong atau tidak dikenali")
    add(np.isnan(age), "age unknown / umur tidak diketahui")
    add(age > MAX_AGE_DAYS, f"age over {MAX_AGE_DAYS} days / umur lebih dari {MAX_AGE_DAYS} hari")
    add(age < 0, "measured before birth / diukur sebelum lahir")
    add(np.isnan(weight), "weight missing or outside 0.9-58 kg / berat kosong atau di luar 0,9-58 kg")
    add(np.isnan(lenhei), "length/height missing or outside 38-150 cm / panjang/tinggi kosong atau di luar 38-150 cm")
    add(z["oedema"], "oedema: weight-based z-scores not computed / edema: z-score berbasis berat tidak dihitung")
    add(z["measure_error"], "under 9 months measured standing: method treated as unknown / "
                            "umur < 9 bulan diukur berdiri: cara ukur dianggap tidak diketahui")
    age_allows = np.isnan(age) | ((age >= 0) & (age <= MAX_AGE_DAYS))
    whz_range = (np.isnan(z["whz"]).to_numpy() & np.isfinite(weight) & np.isfinite(lenhei) & ~z["oedema"].to_numpy()
                 & np.isin(sex, (1, 2)) & age_allows)
    add(whz_range, "length/height outside the weight-for-length/height table / "
                   "panjang/tinggi di luar tabel BB/PB atau BB/TB")
    return pd.Series(["; ".join(r) for r in reasons], index=frame.index)


def zscore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The input frame with z-scores, flags and reasons appended."""
    sex = nz.parse_sex(_column(frame, "sex")).values.astype("float64").to_numpy()
    if "age_days" in frame:
        age = pd.to_numeric(_column(frame, "age_days"), errors="coerce").to_numpy(dtype="float64")
    else:
        born = nz.parse_date(_column(frame, "birth_date")).values
        measured = nz.parse_date(_column(frame, "measured_on")).values
        age = age_in_days(born, measured)
    weight = nz.parse_decimal(_column(frame, "weight_kg")).values.to_numpy(dtype="float64")
    lenhei = nz.parse_decimal(_column(frame, "lenhei_cm")).values.to_numpy(dtype="float64")
    measure = nz.parse_measure(_column(frame, "measure")).values
    oedema = nz.parse_yesno(_column(frame, "oedema")).values.map(lambda v: v is True)
    z = compute_zscores(sex, age, weight, lenhei, measure, oedema)
    out = frame.copy()
    for name in INDICATORS:
        rounded = z[name].round(2)
        out[name] = rounded.map(lambda v: "" if np.isnan(v) else f"{v:.2f}")
    for name in INDICATORS:
        out[f"flag_{name}"] = z[f"flag_{name}"].astype(int)
    clean_weight = np.where((weight >= 0.9) & (weight <= 58), weight, np.nan)
    clean_lenhei = np.where((lenhei >= 38) & (lenhei <= 150), lenhei, np.nan)
    out["reason"] = _reasons(frame, sex, age, clean_weight, clean_lenhei, z)
    return out


def run_batch(in_path: Path, out_path: Path) -> dict:
    """Compute z-scores for a CSV; returns counts of rows and of each computed z-score."""
    frame = _read(Path(in_path))
    out = zscore_frame(frame)
    export.write_csv(out, out_path)           # child ids and reasons from the input: formulas defused
    return {"rows": len(out), **{name: int((out[name] != "").sum()) for name in INDICATORS}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard zscores", description=__doc__.splitlines()[0])
    parser.add_argument("input", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        summary = run_batch(args.input, args.out)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        print(f"cannot read {args.input.name}: {exc}")
        return 1
    print(f"{summary['rows']} rows; z-scores computed: " + ", ".join(f"{k} {summary[k]}" for k in INDICATORS)
          + f" -> {args.out}")
    return 0
