"""``python -m dashboard boundaries bundle|check|prepare``: the bundled boundaries rebuilt, and a
deployment's boundary files checked against the region list before the app draws them.

  bundle --from FOLDER   simplified Banten and Kalimantan Tengah villages into dashboard/maps/bundled/
  check FILE...          the match report of each file (matched, missing, extra, duplicated, codes
                         not understood, CRS); nothing is written
  prepare FILE...        the same report, then the cache the app loads (data/cache/maps/)

A bad file gets one line saying why, never a traceback; the exit code is 1 when a file is refused.
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
SHOWN = 10          # rows of each list printed under a file's counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard boundaries", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    p = sub.add_parser("bundle", help="rebuild the bundled village boundaries from the original GeoJSON files")
    p.add_argument("--from", dest="source", type=Path, required=True,
                   help="folder of the original desa_*.geojson files and their README (source and licence)")
    p.add_argument("--out", type=Path, help="output folder (default dashboard/maps/bundled)")
    for name, text in (("check", "print how boundary files match the region list"),
                       ("prepare", "check boundary files and build the cache the app loads")):
        p = sub.add_parser(name, help=text)
        p.add_argument("files", nargs="+", type=Path, help="GeoJSON, GeoPackage, zipped Shapefile or GeoParquet")
    args = parser.parse_args(argv)
    return {"bundle": _bundle, "check": _check, "prepare": _prepare}[args.action](args)


def one_line(error: BaseException) -> str:
    """An exception as one readable line (a KeyError's repr quotes are dropped)."""
    text = str(error.args[0]) if isinstance(error, KeyError) and error.args else str(error)
    return (text.strip().splitlines() or [type(error).__name__])[0]


def _bundle(args: argparse.Namespace) -> int:
    from dashboard.maps import boundaries
    from dashboard.maps.bundle import bundle

    try:
        written = bundle(args.source, args.out or boundaries.BUNDLED_DIR)
    except Exception as error:  # noqa: BLE001 - a bad source folder is one line, the traceback goes to the log
        log.debug("bundling failed", exc_info=True)
        print(f"GAGAL / FAILED  {args.source}: {one_line(error)}")
        return 1
    for path in written:
        print(f"OK  {path} ({path.stat().st_size:,} bytes)")
    print(f"    total {sum(p.stat().st_size for p in written):,} bytes; source and licence in {written[0].parent / 'README.md'}")
    return 0


def _check(args: argparse.Namespace) -> int:
    usable = [_report_file(path) for path in args.files]
    return 0 if all(usable) else 1


def _prepare(args: argparse.Namespace) -> int:
    from dashboard.maps import boundaries

    if not all([_report_file(path) for path in args.files]):
        print("Nothing prepared: fix or remove the files above.")
        return 1
    try:
        prepared = boundaries.prepare(args.files)
    except Exception as error:  # noqa: BLE001 - one line, the traceback goes to the log
        log.debug("boundary files could not be prepared", exc_info=True)
        print(f"GAGAL / FAILED  {', '.join(p.name for p in args.files)}: {one_line(error)}")
        return 1
    counts = {level: len(prepared.level(level)) for level in boundaries.LEVELS}
    print(f"Prepared in {prepared.folder}: " + ", ".join(f"{n:,} {level}" for level, n in counts.items()))
    print("The app loads it when started with")
    print(f"  export {boundaries.ENV_VAR}={os.pathsep.join(str(p.resolve()) for p in args.files)}")
    return 0


def _report_file(path: Path) -> bool:
    """Print one file's match report; True when the app may draw it."""
    from dashboard.maps import boundaries
    from dashboard.regions import region_frame

    try:
        frame = boundaries.read_boundaries([path])
    except Exception as error:  # noqa: BLE001 - any unreadable file is one line, the traceback goes to the log
        log.debug("boundary file %s could not be read", path, exc_info=True)
        print(f"GAGAL / FAILED  {path.name}: {one_line(error)}")
        return False
    regions = region_frame()
    report = boundaries.match_report(frame, regions, boundaries.provinces_of(frame))
    reason = boundaries.refusal(path.name, report)
    print(f"{'DITOLAK / REFUSED' if reason else 'OK'}  {path.name}")
    for line in report_lines(frame, report, regions):
        print(f"    {line}")
    if reason:
        print(f"    {reason}")
    return reason is None


def report_lines(frame, report, regions) -> list[str]:
    """The counts of a match report, then the first villages and polygons of each list."""
    counts = report.counts
    names = dict(zip(regions["code"], regions["name"]))
    provinces = ", ".join(f"{code} {names.get(code, '?')}" for code in sorted(set(frame["code"].dropna().str[:2])))
    share = f" ({counts['matched'] / counts['villages']:.0%})" if counts["villages"] else ""
    lines = [f"CRS: {', '.join(sorted(set(frame['source_crs'])))}; {counts['polygons']:,} polygons",
             f"provinces: {provinces or 'none'}",
             f"villages matched: {counts['matched']:,} of {counts['villages']:,}{share}",
             f"villages missing (no polygon): {counts['missing']:,}",
             f"extra polygons (code not in the region list, not understood, or empty): {counts['extra']:,}",
             f"codes not understood: {counts['unparsed']:,}",
             f"duplicated codes (their polygons are merged): {counts['duplicated']:,}"]
    for title, table in (("missing", report.missing), ("extra", report.extra), ("duplicated", report.duplicated)):
        if len(table):
            shown = table.head(SHOWN).astype(str).agg("  ".join, axis=1)
            more = f" (first {SHOWN} of {len(table):,})" if len(table) > SHOWN else ""
            lines += [f"{title}{more}:", *(f"  {row}" for row in shown)]
    return lines
