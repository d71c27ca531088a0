"""``python -m dashboard export-parquet DIR``: the canonical tables and marts as Hive-partitioned Parquet.

The layout other engines read directly (Spark, Trino, DuckDB, Polars): one folder per table, split
into ``province=36/year=2025/month=10/`` where the table has a village or area code and a date, or
``year=2025/`` where it has a year. Column names and types are the database's own; the partition
columns are added from the row's code and date, and ``_tables.json`` lists every column with its
DuckDB type. ``rejects`` is not exported: it holds rejected raw values, some of them personal.
"""

from __future__ import annotations

import argparse
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dashboard.config import settings
from dashboard.db import reading

SKIPPED = ("rejects", "mart_state")   # personal raw values; the refresh's own bookkeeping
CODE_COLUMNS = ("village_code", "area_code", "region_code")
# Parquet has no 128-bit integer (DuckDB would write HUGEINT sums as DOUBLE): they are written as BIGINT.
PARQUET_TYPES = {"HUGEINT": "BIGINT", "UHUGEINT": "BIGINT"}
DATE_COLUMNS = ("measured_on", "month", "period", "referred_on", "event_on", "period_start", "imported_at")


@dataclass(frozen=True)
class Layout:
    """How one table is partitioned: the expressions of province, year and month (None when absent)."""

    table: str
    columns: tuple[tuple[str, str], ...]
    province: str | None
    year: str | None
    month: str | None

    @property
    def partitions(self) -> list[str]:
        return [name for name, expr in (("province", self.province), ("year", self.year), ("month", self.month))
                if expr]


def layout(table: str, columns: list[tuple[str, str]]) -> Layout:
    """Partition by the first code column's province and the first date column's year and month;
    a table with an integer ``year`` column (yearly marts) keeps it as its year partition."""
    names = {name: kind for name, kind in columns}
    code = next((c for c in CODE_COLUMNS if c in names), None)
    day = next((c for c in DATE_COLUMNS if c in names and names[c] in ("DATE", "TIMESTAMP")), None)
    province = f"left({code}, 2)" if code else None
    year = month = None
    if day:
        year, month = f"year({day})", f"month({day})"
    elif names.get("year") in ("INTEGER", "BIGINT", "SMALLINT"):
        year = "year"
    return Layout(table, tuple(columns), province, year, month)


def _tables(con: duckdb.DuckDBPyConnection) -> list[Layout]:
    rows = con.execute("select table_name, column_name, data_type from information_schema.columns "
                       "where table_catalog = current_database() and table_schema = 'main' "
                       "order by table_name, ordinal_position").fetchall()
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        columns.setdefault(table, []).append((column, kind))
    return [layout(t, [(n, PARQUET_TYPES.get(k, k)) for n, k in c]) for t, c in columns.items() if t not in SKIPPED]


def _copy(con: duckdb.DuckDBPyConnection, item: Layout, folder: Path) -> int:
    extra = [f"{expr} as {name}" for name, expr in (("province", item.province), ("year", item.year),
                                                   ("month", item.month)) if expr and expr != name]
    select = ", ".join([f'"{name}"::{kind} as "{name}"' if kind in PARQUET_TYPES.values() else f'"{name}"'
                        for name, kind in item.columns] + extra)
    rows = con.execute(f'select count(*) from "{item.table}"').fetchone()[0]
    target = str(folder / item.table).replace("'", "''")
    options = "format parquet, compression zstd"
    if item.partitions:
        options += f", partition_by ({', '.join(item.partitions)}), overwrite_or_ignore"
        con.execute(f"copy (select {select} from \"{item.table}\") to '{target}' ({options})")
    else:
        (folder / item.table).mkdir(parents=True, exist_ok=True)
        con.execute(f"copy (select {select} from \"{item.table}\") to '{target}/data.parquet' ({options})")
    return int(rows)


def export_parquet(out_dir: Path, db_path: Path | None = None) -> dict[str, int]:
    """Write every table (but ``rejects``) under ``out_dir``, replacing an earlier export there;
    returns rows written per table."""
    staging = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with reading(db_path) as con:
        written, described = {}, {}
        for item in _tables(con):
            written[item.table] = _copy(con, item, staging)
            described[item.table] = {"columns": [{"name": n, "type": t} for n, t in item.columns],
                                     "partitioned_by": item.partitions, "rows": written[item.table]}
    (staging / "_tables.json").write_text(json.dumps(described, indent=2), encoding="utf-8")
    shutil.rmtree(out_dir, ignore_errors=True)
    staging.rename(out_dir)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard export-parquet",
                                     description="write the tables and marts as Hive-partitioned Parquet")
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--db", type=Path, help=f"database (default {settings().db_path})")
    args = parser.parse_args(argv)
    try:
        written = export_parquet(args.out, args.db)
    except FileNotFoundError as exc:
        print(f"GAGAL / FAILED: {exc}")
        return 1
    for table, rows in sorted(written.items()):
        print(f"{table:<28} {rows:>12,} rows")
    print(f"written to {args.out} (column types in {args.out / '_tables.json'})")
    return 0
