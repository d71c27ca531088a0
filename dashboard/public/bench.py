"""Benchmark part ``static`` (``python -m dashboard bench --only static``): the static public site of
the demo database, built once (time, size) and served by Python's ``http.server``, beside the app's
public route (Streamlit) on the same machine in the same run: first chart for 1 and 20 visitors
arriving at once, as HTTP / Streamlit-protocol clients without a browser (the server's side) and
drawn in Chromium at 390x844 with an empty cache."""

from __future__ import annotations

import functools
import gzip
import re
import statistics
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from dashboard.bench.common import Context, Row


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    """``http.server`` with a listen backlog a web server would have: its default of 5 drops part of a
    burst of 20 connections, which then retry after a second (the kernel's SYN retransmission)."""
    request_queue_size = 128
    daemon_threads = True


# Set ``window.firstChartAt`` on the frame after ``selector`` first appears: the same clock for the
# static page's inline SVG and the app's Plotly chart (a render-blocked page runs no frame).
FIRST_CHART = """(() => {
  const found = () => document.querySelector(%s);
  const mark = () => requestAnimationFrame(() => { window.firstChartAt = window.firstChartAt || performance.now(); });
  new MutationObserver((_, observer) => { if (found()) { observer.disconnect(); mark(); } })
    .observe(document, {childList: true, subtree: true});
})();"""
STATIC_CHART = "#ranking rect.bar"
PAGE = "id/36/2025/index.html"
REPEATS = 3                # one visitor in Chromium: runs, each with an empty cache


def first_visit(site: Path, page: str) -> list[Path]:
    """The files a first visit fetches before the maps: the page and the styles and scripts it names
    (plotly.js is only named for the map, in ``data-plotly``)."""
    html = (site / page).read_text(encoding="utf-8")
    return [site / page, *((site / page).parent / link for link in re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html))]


def _gzipped_weight(site: Path, page: str) -> int:
    """Bytes of the first visit before the maps, gzipped (the .gz written beside each asset)."""
    page_file, *assets = first_visit(site, page)
    return len(gzip.compress(page_file.read_bytes())) + sum(Path(f"{a}.gz").stat().st_size for a in assets)


def first_charts(url: str, visitors: int, selector: str) -> list[float]:
    """Seconds from the start until each visitor's first chart (``selector``) is drawn in Chromium at
    390x844 with an empty cache (all navigations started at once, one context per visitor)."""
    import json

    from playwright.sync_api import sync_playwright

    from dashboard.serve import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        pages = []
        for _ in range(visitors):
            context = browser.new_context(viewport={"width": 390, "height": 844})
            context.add_init_script(FIRST_CHART % json.dumps(selector))
            pages.append(context.new_page())
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
    issue measured the app's route) has what the first chart needs: the page (its SVG inline) and the
    stylesheet it waits for (gzipped, as a browser asks and ``gzip_static`` serves)."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import urljoin

    def visit(start: float) -> float:
        page = urllib.request.urlopen(url).read().decode("utf-8")
        for link in re.findall(r'<link rel="stylesheet" href="([^"]+)"', page):
            urllib.request.urlopen(urljoin(url, link + ".gz")).read()
        return time.perf_counter() - start

    with ThreadPoolExecutor(visitors) as pool:
        start = time.perf_counter()
        return list(pool.map(visit, [start] * visitors))


def _spread(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} s / {max(times):.2f} s"


def _static_rows(url: str) -> list[Row]:
    rows = []
    for visitors in (1, 20, 80):
        rows.append(Row("static", f"static page: first chart's files received, {visitors} client(s) at once (median / max)",
                        _spread(fetched(url, visitors)), "http.server (listen backlog 128); HTML with the SVG chart + CSS, no browser"))
    rows.append(Row("static", f"static page: first chart drawn in Chromium at 390 px, 1 visitor, {REPEATS} runs "
                              "(median / max)", _spread(_alone(url, STATIC_CHART)), "empty cache each run"))
    rows.append(Row("static", "static page: first chart drawn in Chromium at 390 px, 20 visitors at once (median / max)",
                    _spread(first_charts(url, 20, STATIC_CHART)),
                    "empty caches; one Chromium on the same 2 cores draws every visitor's page"))
    return rows


def _alone(url: str, selector: str) -> list[float]:
    """One visitor at a time, ``REPEATS`` times, each with an empty cache."""
    return [first_charts(url, 1, selector)[0] for _ in range(REPEATS)]


def _app_rows(ctx: Context) -> list[Row]:
    """The same figures for the app's public route (``/``, Streamlit), beside the static page's."""
    from dashboard.bench.streamlit_client import visits
    from dashboard.serve import CHART, start_app, stop_app

    url, app = start_app(ctx.db, ctx.workdir / "streamlit-static-bench.log",
                         {"POSYANDU_USERS": str(ctx.login().users_file)})
    rows = []
    try:
        warm = visits(url, 1)[0]                                # the first page run imports the app's modules
        for visitors in (1, 20):
            done = visits(url, visitors)
            rows.append(Row("static", f"app's public route: first chart received, {visitors} client(s) at once "
                                      "(median / max)", _spread([v.seconds for v in done]),
                            f"Streamlit protocol client, no browser: HTML, scripts, the chart over the websocket "
                            f"(median {statistics.median(v.chart_sent for v in done):.2f} s), Plotly's chunk; "
                            f"{done[0].received_bytes / 1e6:.1f} MB as sent; after one warm-up visit "
                            f"({warm.seconds:.1f} s)"))
        rows.append(Row("static", f"app's public route: first chart drawn in Chromium at 390 px, 1 visitor, {REPEATS} "
                                  "runs (median / max)", _spread(_alone(f"{url}/", CHART)),
                        "empty cache each run, app already running"))
    finally:
        stop_app(app)
    return rows


def static_part(ctx: Context) -> list[Row]:
    from dashboard.public.site import build_site

    site = ctx.workdir / "publik-site"
    began = time.perf_counter()
    build_site(site, ctx.db)
    rows = [Row("static", "publik build (every province and year, both languages)", f"{time.perf_counter() - began:.1f} s")]
    rows.append(Row("static", f"first visit before the maps, gzip ({PAGE})", f"{_gzipped_weight(site, PAGE) / 1e6:.3f} MB",
                    "goal 1.5 MB; page (SVG chart inline), CSS, script; plotly.js comes with the map"))
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site.resolve())))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        rows += _static_rows(f"http://127.0.0.1:{server.server_address[1]}/{PAGE}")
    finally:
        server.shutdown()
        server.server_close()
    return rows + _app_rows(ctx)
