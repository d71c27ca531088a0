"""The import benchmark: the importer beside DuckDB alone on the same generated CSV, in one run.

Each side runs in a fresh process of its own (``python -m dashboard.bench.importer SIDE CSV DB``)
so that its peak RSS (VmHWM) is its own and not the bench's; both use the DuckDB settings of
``dashboard.db.duckdb_config`` (memory limit, spill folder).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from dashboard.bench.common import Context, Row, peak_memory_mb
from dashboard.bench.throughput import write_measurement_csv

# DuckDB alone: read every cell as text, type dates and decimal commas, store the table.
DUCKDB_ALONE = """
create table measurements as
select "NIK" as child_id, "JK" as sex, strptime("Tgl Lahir", '%d/%m/%Y')::date as birth_date,
       strptime("Tgl Ukur", '%d/%m/%Y')::date as measured_on,
       replace("BB (kg)", ',', '.')::decimal(6, 2) as weight_kg, replace("TB (cm)", ',', '.')::decimal(6, 2) as lenhei_cm,
       "Cara Ukur" as measure, "Kode Desa" as village_code, "Posyandu" as posyandu_name
from read_csv($path, all_varchar = true, delim = ';', header = true)
"""


def importer_side(export: Path, db: Path) -> dict:
    """The real importer (read, headings, parse, validate, resolve, load) into a fresh database."""
    from dashboard.ingest.loader import import_files

    [result] = import_files([export], db)  # includes creating the database and loading the region list
    return {"loaded": result.rows_loaded, "rejected": result.rows_rejected, "error": result.error}


def duckdb_side(export: Path, db: Path) -> dict:
    import duckdb

    from dashboard.db import duckdb_config

    with duckdb.connect(str(db), config=duckdb_config()) as con:
        con.execute(DUCKDB_ALONE, {"path": str(export)})
        return {"loaded": con.execute("select count(*) from measurements").fetchone()[0], "rejected": 0, "error": None}


SIDES = {"importer": importer_side, "duckdb": duckdb_side}


def measure(side: str, export: Path, db: Path) -> dict:
    """Seconds and peak RSS of one side, run in a process of its own."""
    done = subprocess.run([sys.executable, "-m", "dashboard.bench.importer", side, str(export), str(db)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def import_part(ctx: Context) -> list[Row]:
    """For ``ctx.rows`` and three times as many rows: the importer and DuckDB alone, and the ratios."""
    rows = []
    for size in (ctx.rows, 3 * ctx.rows):
        export = write_measurement_csv(ctx.workdir / f"import-{size}.csv", size)
        ours = measure("importer", export, ctx.workdir / f"import-{size}.duckdb")
        engine = measure("duckdb", export, ctx.workdir / f"duckdb-{size}.duckdb")
        megabytes = export.stat().st_size / 2**20
        export.unlink()
        rows += [
            Row("import", f"importer: {size:,} measurement rows ({megabytes:,.0f} MB semicolon CSV, decimal commas)",
                f"{ours['seconds']:.1f} s, {ours['peak_mb']:,.0f} MB peak RSS",
                f"{size / ours['seconds']:,.0f} rows/s; loaded {ours['loaded']:,}, rejected {ours['rejected']:,}; "
                "goal under 1,500 MB at 3 million rows" + (f"; ERROR {ours['error']}" if ours["error"] else "")),
            Row("import", f"DuckDB alone: the same file read as text, typed and stored",
                f"{engine['seconds']:.1f} s, {engine['peak_mb']:,.0f} MB peak RSS", f"{engine['loaded']:,} rows"),
            Row("import", f"importer / DuckDB alone at {size:,} rows",
                f"{ours['seconds'] / engine['seconds']:.1f}x time, {ours['peak_mb'] / engine['peak_mb']:.1f}x memory",
                "goal at most 3x the time"),
        ]
    return rows


def main(argv: list[str]) -> int:
    side, export, db = argv
    import dashboard.ingest.loader  # noqa: F401  (module imports are not the import's time)

    start = time.perf_counter()
    figures = SIDES[side](Path(export), Path(db))
    figures.update(seconds=time.perf_counter() - start, peak_mb=peak_memory_mb())
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
