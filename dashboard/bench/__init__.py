"""Benchmarks: ``python -m dashboard bench [--scale small|province] [--db PATH] [--only PART]``.

Prints one table (Markdown, so it pastes into the README). Figures go in the README, never into
timed tests. Each part is one function ``part(ctx) -> list[Row]`` registered in ``PARTS``; adding a
part is writing that function and one line there (and in ``NEEDS_DB`` when it reads the demo
database ``ctx.db``: the ``--db`` file when it exists, otherwise the demo the ``demo`` part builds).
A part that raises becomes a "part failed" row; the others still run.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Callable

from dashboard.bench.browser import browser_part
from dashboard.bench.growth import growth_part
from dashboard.bench.common import Context, Row, code_version, machine, peak_memory_mb, reset_peak_memory
from dashboard.bench.maps import map_part
from dashboard.bench.pages import pages_part
from dashboard.bench.importer import import_part
from dashboard.bench.routine import routine_part
from dashboard.bench.throughput import demo_part, zscores_part
from dashboard.public.bench import static_part

__all__ = ["Context", "Row", "PARTS", "plan", "run", "format_table"]


PARTS: dict[str, Callable[[Context], list[Row]]] = {
    "import": import_part,
    "zscores": zscores_part,
    "demo": demo_part,
    "pages": pages_part,
    "map": map_part,
    "browser": browser_part,
    "static": static_part,
    "growth": growth_part,
    "routine": routine_part,
}
NEEDS_DB = {"pages", "map", "browser", "static", "routine"}
ON_REQUEST = {"growth"}  # run only when named with --only: it builds the demo three times


def plan(only: list[str] | None, db: Path | None) -> list[str]:
    """The parts to run, in table order: all by default except rebuilding a demo that ``--db`` gives;
    the demo is added when a part needs a database and none exists yet."""
    have_db = db is not None and db.exists()
    parts = [p for p in PARTS if p in only] if only else [p for p in PARTS if not (p == "demo" and have_db)
                                                          and p not in ON_REQUEST]
    if not have_db and NEEDS_DB & set(parts) and "demo" not in parts:
        parts.insert(min(parts.index(p) for p in NEEDS_DB & set(parts)), "demo")
    return parts


def format_table(rows: list[Row]) -> str:
    cells = [["part", "what", "figure", "note"]] + [[r.part, r.what, r.figure, r.note] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(4)]
    line = lambda c: "| " + " | ".join(v.ljust(w) for v, w in zip(c, widths)) + " |"  # noqa: E731
    return "\n".join([line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, cells[1:])])


def run(ctx: Context, only: list[str] | None = None) -> int:
    parts = plan(only, ctx.db)
    load_before = os.getloadavg()[0]
    rows: list[Row] = []
    if "demo" not in parts and ctx.db is not None and NEEDS_DB & set(parts):
        rows.append(Row("demo", "demo build", "not run", f"reused {ctx.db}"))
    peaks: dict[str, float | None] = {}
    with tempfile.TemporaryDirectory(prefix="posyandu-bench-") as folder:
        ctx.workdir = Path(folder)
        for name in parts:
            print(f"bench: {name} ...", file=sys.stderr, flush=True)
            reset_peak_memory()
            try:
                rows += PARTS[name](ctx)
            except Exception as error:  # one failed part is a row of the table, not the end of the run
                rows.append(Row(name, "part failed", "error", f"{type(error).__name__}: {str(error).splitlines()[0]}"))
                traceback.print_exc()
            peaks[name] = peak_memory_mb()
    for name, peak in peaks.items():
        rows.append(Row("memory", f"peak RSS of the bench process during `{name}`",
                        "not measured" if peak is None else f"{peak:,.0f} MB", "VmHWM, reset before each part"))
    if ctx.app_peak_mb is not None:
        rows.append(Row("memory", "peak RSS of the app server (streamlit run)", f"{ctx.app_peak_mb:,.0f} MB",
                        "VmHWM at the end of the browser part"))
    reused = "demo" not in parts and ctx.db is not None
    data = (f"database {ctx.db} (reused: its scale is whatever built it)" if reused
            else f"scale {ctx.scale}" + (f", database {ctx.db}" if ctx.db is not None else ""))
    print(f"machine: {machine()}; code {code_version()}; {data}; "
          f"load average (1 min) {load_before:.1f} when the run started")
    print(format_table(rows))
    return 0
