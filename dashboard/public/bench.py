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


def fetched(url: str, visitors: int) -> list[float]:
    """Seconds until each of ``visitors`` HTTP clients (threads, no browser: the server's side, as the
    issue measured the app's route) has every file of the first chart: the page, its CSS and scripts
    (plotly.js gzipped, as a browser asks) and the ranking's JSON."""
    import re
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import urljoin

    def visit(start: float) -> float:
        page = urllib.request.urlopen(url).read().decode("utf-8")
        links = [link for link in re.findall(r'(?:src|href|data-figure)="([^"]+\.(?:js|css|json))"', page)
                 if "/map_" not in link]              # the maps come after the first chart
        for link in links:
            urllib.request.urlopen(urljoin(url, link + (".gz" if link.endswith(".js") else ""))).read()
        return time.perf_counter() - start

    with ThreadPoolExecutor(visitors) as pool:
        start = time.perf_counter()
        return list(pool.map(visit, [start] * visitors))


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
        for visitors in (1, 20, 80):
            times = fetched(url, visitors)
            rows.append(Row("static", f"first chart's files served, {visitors} clients at once (median / max)",
                            f"{statistics.median(times):.2f} s / {max(times):.2f} s", "http.server, no browser"))
        for visitors in (1, 20):
            times = first_charts(url, visitors)
            rows.append(Row("static", f"first chart drawn, {visitors} visitor(s) at once (median / max)",
                            f"{statistics.median(times):.2f} s / {max(times):.2f} s",
                            "one Chromium on the same 2 cores draws every visitor's chart"))
    finally:
        server.shutdown()
        server.server_close()
    return rows
