"""The monthly routine (issue 20 §4): one more month of one province's measurements, then a 100-row
correction, each timed from the import until the pages' data show it (the import returning with its
marts refreshed, then the new figure read back), with peak RSS per phase; beside it a full rebuild.

Runs on a copy of the demo database (``ctx.db``), so the demo itself is left as it was. The files are
written the way the demo's exports are (semicolons, decimal commas, dd/mm/yyyy, village codes and
posyandu names) from the database's own children: the month after the latest one for every child of
the province weighed in that latest month, and 100 random earlier measurements of the province with
changed weight and height.
"""

from __future__ import annotations

import csv
import shutil
import time
from pathlib import Path

import duckdb

from dashboard.bench.common import Context, Row, peak_memory_mb, reset_peak_memory

PROVINCE = "36"
CORRECTION_ROWS = 100
HEAD = ["NIK", "JK", "Tgl Lahir", "Tgl Ukur", "BB", "TB", "Cara Ukur", "Edema", "Kode Desa", "Posyandu"]


def routine_part(ctx: Context) -> list[Row]:
    from dashboard.build import refresh
    from dashboard.db import writer

    db = ctx.workdir / "routine.duckdb"
    shutil.copyfile(ctx.db, db)
    reset_peak_memory()
    start = time.perf_counter()
    with writer(db) as con:
        refresh(con, touched=None)   # what `python -m dashboard rebuild` runs; also makes the marts' state current
    rebuild, rebuild_peak = time.perf_counter() - start, peak_memory_mb()
    month_file, month, month_rows = _next_month_file(db, ctx.workdir / "next-month.csv")
    fix_file = _correction_file(db, ctx.workdir / "correction.csv")
    rows = [Row("routine", "full rebuild of every mart (`python -m dashboard rebuild`)", f"{rebuild:,.1f} s",
                f"peak RSS {_mb(rebuild_peak)}; database {db.stat().st_size / 2**20:,.0f} MB")]
    for what, path, check in (
            (f"one month's import: {month_rows:,} measurement rows of province {PROVINCE} for {month:%Y-%m}, "
             "until the pages' data show it", month_file,
             ("select count(*) from prevalence where region_code = $p and period_type = 'month' and period_start = $m",
              {"p": PROVINCE, "m": month})),
            (f"a {CORRECTION_ROWS}-row correction (random earlier measurements of province {PROVINCE}, weight and "
             "height changed), until the pages' data show it", fix_file,
             ("select count(*) from measurements where batch_id = (select max(batch_id) from import_batches)", {}))):
        timing = _import_until_shown(db, path, check)
        marts = sorted(timing["marts"].items(), key=lambda item: -item[1][1])
        slowest = ", ".join(f"{name} {seconds:.1f} s ({how})" for name, (how, seconds) in marts[:3])
        rows.append(Row("routine", what, f"{timing['seconds']:,.1f} s",
                        f"z-scores and marts {timing['refresh']:,.1f} s (slowest: {slowest}); "
                        f"{timing['loaded']:,} rows loaded, {timing['updated']:,} replaced; "
                        f"peak RSS {_mb(timing['peak'])}"))
    return rows


def _mb(value: float | None) -> str:
    return "not measured" if value is None else f"{value:,.0f} MB"


def _import_until_shown(db: Path, path: Path, check: tuple[str, dict]) -> dict:
    """Import one file the way ``import_and_refresh`` does, then read the new figure from the live file."""
    from dashboard.build import refresh
    from dashboard.db import connect_readonly
    from dashboard.ingest.load import TOUCHED
    from dashboard.ingest.loader import import_files

    marts: dict = {}

    def after_load(con: duckdb.DuckDBPyConnection) -> None:
        started = time.perf_counter()
        marts.update(refresh(con, touched=TOUCHED))
        marts["__seconds"] = ("", time.perf_counter() - started)

    reset_peak_memory()
    start = time.perf_counter()
    [result] = import_files([path], db, after_load=after_load)
    with connect_readonly(db) as con:
        shown = con.execute(*check).fetchone()[0]
    seconds = time.perf_counter() - start
    if result.error or not shown:
        raise RuntimeError(f"the routine import of {path.name} did not reach the pages: {result.error or 'no rows'}")
    refreshed = marts.pop("__seconds")[1]
    return {"seconds": seconds, "refresh": refreshed, "marts": marts, "loaded": result.rows_loaded,
            "updated": result.rows_updated, "peak": peak_memory_mb()}


def _export_rows(con: duckdb.DuckDBPyConnection, select: str) -> list[tuple]:
    """Measurement rows as an export writes them, from a select of the measurements ``m`` with their
    posyandu ``p``: (child, sex, birth, date, weight, height, method, oedema, village, posyandu)."""
    return con.execute(f"""
        select m.child_id, case m.sex when 1 then 'L' when 2 then 'P' end, strftime(m.birth_date, '%d/%m/%Y'),
               strftime(measured, '%d/%m/%Y'), replace(round(weight, 1)::varchar, '.', ','),
               replace(round(height, 1)::varchar, '.', ','), coalesce(m.measure, ''),
               case when m.oedema then 'Ya' else '' end, replace(m.village_code, '.', ''), coalesce(p.name, '')
        from ({select}) m
        left join posyandu p on p.posyandu_id = m.posyandu_id""").fetchall()


def _write(path: Path, rows: list[tuple]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, delimiter=";")
        out.writerow(HEAD)
        out.writerows(rows)
    return path


def _next_month_file(db: Path, path: Path):
    """Every child of the province weighed in the latest month, weighed again a month later (a little heavier;
    length or height again where it was measured)."""
    with duckdb.connect(str(db), read_only=True) as con:
        latest = con.execute("select max(date_trunc('month', measured_on))::date from measurements").fetchone()[0]
        rows = _export_rows(con, f"""
            select *, (measured_on + interval 1 month)::date as measured, weight_kg + 0.2 as weight,
                   lenhei_cm + 0.5 as height
            from measurements
            where village_code like '{PROVINCE}.%' and date_trunc('month', measured_on) = date '{latest}'
              and weight_kg is not null""")
    month = _month_after(latest)
    return _write(path, rows), month, len(rows)


def _month_after(latest):
    return latest.replace(year=latest.year + latest.month // 12, month=latest.month % 12 + 1)


def _correction_file(db: Path, path: Path) -> Path:
    """``CORRECTION_ROWS`` random measurements of the province again, with weight and height corrected."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = _export_rows(con, f"""
            select * from (
                select *, measured_on as measured, weight_kg + 0.3 as weight, lenhei_cm - 1.0 as height
                from measurements
                where village_code like '{PROVINCE}.%' and weight_kg is not null
            ) using sample {CORRECTION_ROWS} rows (reservoir, 20)""")
    return _write(path, rows)
