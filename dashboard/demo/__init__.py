"""Demo data: ``python -m dashboard demo [--scale small|province] [--seed N]``.

Generates realistic export files for Banten and Kalimantan Tengah (``generator.py``) and loads
them through the real importer, exactly as a district office would.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from dashboard.config import PROJECT_ROOT, settings
from dashboard.demo.generator import generate

DEFAULT_SEED = 20261122


def demo_folder(scale: str, seed: int) -> Path:
    return PROJECT_ROOT / "data" / "demo" / f"{scale}-{seed}"


def build_demo(db_path: Path | None = None, scale: str = "small", seed: int = DEFAULT_SEED,
               out_dir: Path | None = None) -> dict:
    """Generate (unless already there) and import the demo; returns timings and the import results."""
    from dashboard.build import refresh
    from dashboard.ingest.loader import import_files

    folder = out_dir or demo_folder(scale, seed)
    started = time.perf_counter()
    if not (folder / "manifest.json").exists():
        generate(folder, scale, seed)
    generated = time.perf_counter()
    manifest = json.loads((folder / "manifest.json").read_text())
    paths = [folder / f["file"] for f in manifest["files"]]  # the posyandu register first
    results = import_files(paths, db_path or settings().db_path, after_load=refresh)
    return {"folder": str(folder), "generate_seconds": generated - started,
            "import_seconds": time.perf_counter() - generated, "results": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard demo", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["tiny", "small", "province"], default="small")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, help="folder for the export files (default data/demo/<scale>-<seed>)")
    parser.add_argument("--db", type=Path, help=f"database (default {settings().db_path})")
    parser.add_argument("--generate-only", action="store_true", help="write the files, import nothing")
    args = parser.parse_args(argv)
    if args.generate_only:
        folder = args.out or demo_folder(args.scale, args.seed)
        manifest = generate(folder, args.scale, args.seed)
        print(f"wrote {len(manifest['files'])} files to {folder}")
        return 0
    summary = build_demo(args.db, args.scale, args.seed, args.out)
    results = summary["results"]
    loaded = sum(r.rows_loaded for r in results)
    rejected = sum(r.rows_rejected for r in results)
    failed = [r for r in results if r.error]
    print(f"demo {args.scale}: {len(results)} files from {summary['folder']}, {loaded:,} rows loaded, "
          f"{rejected:,} rejected (the injected defects); generated in {summary['generate_seconds']:.1f} s, "
          f"imported with z-scores and marts in {summary['import_seconds']:.1f} s")
    for result in failed:
        print(f"FAILED {result.file_name}: {result.error}")
    return 1 if failed else 0
