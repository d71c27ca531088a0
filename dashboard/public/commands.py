"""``python -m dashboard publik ...``: the open-data bundle of a province and year, and the static site.

  publik export --province 36 --year 2025 --out DIR [--db PATH]   CSVs as published + catatan.json
  publik build OUT_DIR [--db PATH]                               the static public site (switched atomically)
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from dashboard.config import settings

log = logging.getLogger(__name__)


def _export(args: argparse.Namespace) -> int:
    from dashboard.db import reading
    from dashboard.public.cells import provinces, publication, years
    from dashboard.public.export import write_bundle

    db = args.db or settings().db_path
    if not db.exists():
        print(f"GAGAL / FAILED: database {db} does not exist; import data or build the demo first")
        return 1
    with reading(db) as con:
        known_provinces, known_years = set(provinces(con).code), years(con)
        if args.province not in known_provinces or args.year not in known_years:
            print(f"GAGAL / FAILED: no data for province {args.province}, year {args.year}; provinces "
                  f"{', '.join(sorted(known_provinces))}, years {', '.join(map(str, known_years))}")
            return 1
        published = publication(con, args.province, args.year)
    for path in write_bundle(published, args.out):
        print(path)
    return 0


def _build(args: argparse.Namespace) -> int:
    from dashboard.public.site import build_site

    db = args.db or settings().db_path
    if not db.exists():
        print(f"GAGAL / FAILED: database {db} does not exist; import data or build the demo first")
        return 1
    print(build_site(args.out_dir, db))
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard publik", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("export", help="write the open-data bundle of one province and year")
    p.add_argument("--province", required=True, help="province code, e.g. 36")
    p.add_argument("--year", required=True, type=int)
    p.add_argument("--out", required=True, type=Path, help="folder to write the CSVs and catatan.json into")
    p.add_argument("--db", type=Path, help=f"database (default {settings().db_path})")
    p.set_defaults(func=_export)
    p = sub.add_parser("build", help="write the static public site (every province and year)")
    p.add_argument("out_dir", type=Path, help="the site's path: a symlink switched to each new build")
    p.add_argument("--db", type=Path, help=f"database (default {settings().db_path})")
    p.set_defaults(func=_build)
    args = parser.parse_args(argv)
    return args.func(args)
