"""Benchmark part ``static`` (``python -m dashboard bench --only static``): the static public site of
the demo database, built once (time, size) and served by Python's ``http.server``; first chart drawn
for 1 and 20 visitors arriving at once with an empty cache (Chromium, one context per visitor)."""

from __future__ import annotations

import functools
import gzip
import statistics
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from dashboard.bench.common import Context, Row


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _gzipped_weight(site: Path, page: str) -> int:
    """Bytes a first visit fetches before the maps, compressed: the page, its CSS and scripts, the ranking."""
    _, province, year, _ = Path(page).parts
    files = [*(site / "assets").glob("*.gz"), *(site / "data" / province / year).glob("ranking_id.*.json.gz")]
    return len(gzip.compress((site / page).read_bytes())) + sum(p.stat().st_size for p in files)


def first_charts(url: str, visitors: int) -> list[float]:
    """Seconds from the start until each visitor's first chart is drawn (all navigations started at once)."""
    from playwright.sync_api import sync_playwright

    from dashboard.serve import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        pages = [browser.new_context(viewport={"width": 390, "height": 844}).new_page() for _ in range(visitors)]
        start = time.time() * 1000
        for page in pages:
            page.goto(url, wait_until="commit")
        times = []
        for page in pages:
            page.wait_for_function("window.firstChartAt !== undefined", timeout=300_000)
            drawn = page.evaluate("performance.timeOrigin + window.firstChartAt")
            times.append((drawn - start) / 1000)
        browser.close()
    return times


def static_part(ctx: Context) -> list[Row]:
    from dashboard.public.site import build_site

    site = ctx.workdir / "publik-site"
    began = time.perf_counter()
    build_site(site, ctx.db)
    rows = [Row("static", "publik build (every province and year, both languages)", f"{time.perf_counter() - began:.1f} s")]
    page = "id/36/2025/index.html"
    rows.append(Row("static", f"first visit before the maps, gzip ({page})", f"{_gzipped_weight(site, page) / 1e6:.2f} MB"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site.resolve())))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
        for visitors in (1, 20):
            times = first_charts(url, visitors)
            rows.append(Row("static", f"first chart, {visitors} visitor(s) at once (median / max)",
                            f"{statistics.median(times):.2f} s / {max(times):.2f} s"))
    finally:
        server.shutdown()
        server.server_close()
    return rows
