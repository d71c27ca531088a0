"""Command line: ``python -m dashboard <command>``.

  import FILE... [--db PATH] [--kind KIND] [--sheet NAME] [--json]   load exports into the database
  zscores IN.csv --out OUT.csv                             WHO z-scores for a CSV (batch mode)
  demo [--scale small|province] [--seed N] [--db PATH]     generate and import the demo data
  bench [--scale small|province] [--db PATH] [--only PART]  measure the speed goals, print one table
  users add NAME --role pokjanal|admin | remove NAME | list  logins (bcrypt hashes in data/users.json)
  serve [streamlit options]                                the dashboard (streamlit run, modules warmed up)
  publik export --province 36 --year 2025 --out DIR | build OUT_DIR   open data and the static public site
  export-parquet DIR [--db PATH]                           tables and marts as Hive-partitioned Parquet
  rebuild [--db PATH]                                      every derived table rebuilt whole (imports refresh slices)
  meetings backup OUT | list | seed-demo                   the meeting decisions store (data/decisions.sqlite)
  boundaries bundle --from DIR | check FILE... | prepare FILE...  village boundaries: bundled ones rebuilt,
                                                           a deployment's files checked and prepared
  audit [--limit N] [--user NAME] [--action ACTION]         the audit trail, newest first
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.config import settings

# Each command imports what it needs when it runs: `serve` starts the app and must not first spend
# most of a second importing the importer (pandas, DuckDB, Excel readers) it never uses.
if TYPE_CHECKING:
    from dashboard.ingest.loader import ImportResult


def _print_result(result: ImportResult) -> None:
    if result.error:
        print(f"GAGAL / FAILED  {result.file_name}: {result.error}")
        return
    if result.already_imported_batch:
        print(f"SAMA / UNCHANGED  {result.file_name}: already imported as batch {result.already_imported_batch}; "
              "nothing changed")
        return
    check = "ok" if result.adds_up else "DOES NOT ADD UP"
    label = "PERINGATAN / WARNING" if result.status == "warning" else "OK"
    print(f"{label}  {result.file_name} [{result.dataset}{', sheet ' + result.sheet if result.sheet else ''}] "
          f"batch {result.batch_id}, heading on row {result.heading_row}")
    if result.mostly_rejected:
        print(f"    {result.rows_rejected} of {result.rows_read} rows rejected "
              f"({100 * result.rows_rejected / result.rows_read:.0f}%): check the reasons below / "
              "banyak baris ditolak, periksa alasannya")
    for warning in result.warnings:
        print(f"    {warning}")
    print(f"    read {result.rows_read} = loaded {result.rows_loaded} (of which updated {result.rows_updated}) "
          f"+ rejected {result.rows_rejected} + duplicates skipped {result.rows_duplicate}  [{check}]")
    if result.columns_ignored:
        print(f"    columns not imported: {', '.join(result.columns_ignored)}")
    for reject in result.reject_summary[:15]:
        rows = ", ".join(str(r) for r in reject.first_rows)
        column = f"column '{reject.column}'" if reject.column else "row"
        print(f"    rejected {reject.count:>6}  {column}: {reject.reason_en} / {reject.reason_id} "
              f"(rows {rows}{', ...' if reject.count > len(reject.first_rows) else ''})")


def _cmd_import(args: argparse.Namespace) -> int:
    from dashboard.ingest.loader import import_and_refresh

    progress = _json_progress if args.json else None
    try:
        results = import_and_refresh([Path(p) for p in args.files], db_path=Path(args.db) if args.db else None,
                                     kind=args.kind, sheet=args.sheet, progress=progress)
    except Exception:  # never a traceback in front of a person: the log has it
        logging.getLogger(__name__).exception("import failed")
        print("GAGAL / FAILED  the import stopped on an internal error; nothing was imported (see the log)")
        return 1
    if args.json:   # the browser's worker: the admin page records the import under the signed-in user
        print(json.dumps({"results": [asdict(r) | {"status": r.status} for r in results]}), flush=True)
    else:
        from dashboard.access import audit
        from dashboard.access.cli import shell_actor

        audit.record_imports(shell_actor(), results)
        for result in results:
            _print_result(result)
    # The static public site follows each import. The browser's worker (--json) leaves that to the app
    # process that started it: a build started here would inherit the worker's memory and time limits.
    if not args.json and any(r.rows_loaded or r.rows_updated for r in results):
        from dashboard.public.site import rebuild_in_background

        rebuild_in_background(Path(args.db) if args.db else None)
    failed = [r for r in results if r.error]
    return 1 if failed else 0


def _json_progress(number: int, total: int, file_name: str) -> None:
    """One JSON line per file for a parent process (the browser upload's worker) to show progress."""
    print(json.dumps({"progress": {"number": number, "total": total, "file": file_name}}), flush=True)


def build_parser() -> argparse.ArgumentParser:
    from dashboard.ingest.datasets import DATASETS

    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Posyandu & PKK dashboard tools")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="import export files (CSV/XLSX) into the database")
    p.add_argument("files", nargs="+", help="export files")
    p.add_argument("--db", help=f"database path (default {settings().db_path})")
    p.add_argument("--kind", choices=sorted(DATASETS), help="dataset, when it cannot be detected from headings")
    p.add_argument("--sheet", help="Excel sheet name (default: the first visible sheet with a heading row)")
    p.add_argument("--json", action="store_true", help="print progress and results as JSON lines (for the worker)")
    p.set_defaults(func=_cmd_import)

    sub.add_parser("zscores", help="WHO z-scores for a CSV, like WHO Anthro's batch mode", add_help=False)
    sub.add_parser("demo", help="generate and import the Banten + Kalimantan Tengah demo data", add_help=False)
    sub.add_parser("users", help="add, remove and list dashboard logins", add_help=False)
    sub.add_parser("serve", help="start the dashboard (streamlit run options follow)", add_help=False)
    sub.add_parser("publik", help="open-data bundle and static public site", add_help=False)
    sub.add_parser("export-parquet", help="write the tables and marts as Hive-partitioned Parquet", add_help=False)
    sub.add_parser("meetings", help="back up the meeting decisions store, list meetings, seed the demo's",
                   add_help=False)
    sub.add_parser("boundaries", help="village boundaries: bundle, check or prepare", add_help=False)
    sub.add_parser("audit", help="the audit trail: logins, imports, user changes, downloads", add_help=False)

    p = sub.add_parser("rebuild", help="rebuild every derived table whole (z-scores still pending, then all marts)")
    p.add_argument("--db", help=f"database path (default {settings().db_path})")
    p.set_defaults(func=_cmd_rebuild)

    from dashboard.bench import PARTS

    p = sub.add_parser("bench", help="measure the speed goals and print one table")
    p.add_argument("--scale", choices=["tiny", "small", "province"], default="small",
                   help="demo built for the demo, pages and browser parts (default small)")
    p.add_argument("--db", type=Path, help="demo database to measure: reused when it exists (no demo build), "
                                           "otherwise the demo is built there and kept")
    p.add_argument("--only", action="append", choices=list(PARTS), help="run only these parts (repeatable; "
                                                                        "default all)")
    p.add_argument("--rows", type=int, default=1_000_000, help="measurement rows for the import benchmark")
    p.add_argument("--z-rows", type=int, default=10_000_000, help="records for the z-score benchmark")
    p.add_argument("--regions-per-level", type=int, default=2,
                   help="pages part: regions drawn per level, each with a year, a quarter and a month")
    p.set_defaults(func=_cmd_bench)
    return parser


def _cmd_rebuild(args: argparse.Namespace) -> int:
    from dashboard.build import refresh
    from dashboard.db import writer

    path = Path(args.db) if args.db else settings().db_path
    if not path.exists():
        print(f"GAGAL / FAILED  no database at {path}: import or build the demo first / belum ada basis data")
        return 1
    started = time.perf_counter()
    try:
        with writer(path) as con:
            refresh(con, touched=None)
    except Exception:  # never a traceback in front of a person: the log has it
        logging.getLogger(__name__).exception("rebuild failed")
        print("GAGAL / FAILED  the rebuild stopped on an internal error; the database is unchanged (see the log)")
        return 1
    print(f"OK  every derived table rebuilt in {time.perf_counter() - started:.1f} s / semua tabel turunan dibangun ulang")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from dashboard.bench import Context, run

    ctx = Context(scale=args.scale, db=args.db.resolve() if args.db else None, rows=args.rows, z_rows=args.z_rows,
                  regions_per_level=args.regions_per_level)
    return run(ctx, args.only)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["zscores"]:  # commands with their own argument parser
        from dashboard.growth.batch import main as zscores_main

        return zscores_main(argv[1:])
    if argv[:1] == ["serve"]:
        from dashboard.serve import serve

        return serve(argv[1:])
    if argv[:1] == ["users"]:
        from dashboard.auth import main as users_main

        return users_main(argv[1:])
    if argv[:1] == ["export-parquet"]:
        from dashboard.export_parquet import main as export_main

        return export_main(argv[1:])
    if argv[:1] == ["audit"]:
        from dashboard.access.cli import audit_main

        return audit_main(argv[1:])
    if argv[:1] == ["demo"]:
        from dashboard.demo import main as demo_main

        return demo_main(argv[1:])
    if argv[:1] == ["publik"]:
        from dashboard.public.commands import main as publik_main

        return publik_main(argv[1:])
    if argv[:1] == ["meetings"]:
        from dashboard.meeting.cli import main as meetings_main

        return meetings_main(argv[1:])
    if argv[:1] == ["boundaries"]:
        from dashboard.maps.commands import main as boundaries_main

        return boundaries_main(argv[1:])
    args = build_parser().parse_args(argv)
    return args.func(args)
